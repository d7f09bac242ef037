-- wrk reports one JSON line: latency percentiles, throughput and errors of the run.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "mean_us": %.1f, ' ..
    '"errors": %d, "bad_status": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency.mean, e.connect + e.read + e.write + e.timeout, e.status))
end
