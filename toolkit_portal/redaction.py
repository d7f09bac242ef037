"""Error reports that carry no one's data.

Django's error report (the admin email on a 500, and the page under DEBUG) shows the form
that was posted, the query string and the local variables of every frame. In this portal
those can be a password, a sign-in code, a consultant's legal name or payment details, so
outside DEBUG the report keeps only their names: every posted value, every query value and
every local variable is replaced. The traceback itself (files, lines, code) stays, which is
what finding the bug needs.
"""

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

REMOVED = SafeExceptionReporterFilter.cleansed_substitute


class PortalExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if request is None:
            return {}
        if not self.is_active(request):
            return request.POST
        return self._cleanse_multivaluedict(request.POST, "__ALL__")

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, REMOVED) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if self.is_active(request):
            for key in ("QUERY_STRING", "HTTP_REFERER"):
                if meta.get(key):
                    meta[key] = REMOVED
        return meta


class PortalExceptionReporter(ExceptionReporter):
    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None and self.filter.is_active(self.request):
            data["request_GET_items"] = [(key, REMOVED) for key in self.request.GET]
            data["request_FILES_items"] = [(key, REMOVED) for key in self.request.FILES]
            data["request_insecure_uri"] = self.request.path
        return data
