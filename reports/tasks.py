from celery import shared_task


# Tasks take primary keys. A rare duplicate delivery builds nothing twice (the service claims
# the row first); a lost one leaves the request queued, and the person can ask again.
@shared_task
def build_report_pdf(report_file_id):
    from .services import build_pdf

    build_pdf(report_file_id)
