from celery import shared_task


# Tasks take primary keys. A rare duplicate delivery builds nothing twice (the service claims
# the row first); a lost one leaves the request waiting until the sweep below sends it again.
@shared_task
def build_report_pdf(report_file_id):
    from .services import build_pdf

    build_pdf(report_file_id)


@shared_task
def rebuild_stuck_report_pdfs():
    """Beat calls this every minute: queue again the PDFs whose worker was lost."""
    from .services import rebuild_stuck_pdfs

    again, failed = rebuild_stuck_pdfs()
    return {"queued_again": again, "failed": failed}
