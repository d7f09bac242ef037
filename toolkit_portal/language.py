"""The person's language: chosen by the switch on every page, remembered for visitors by
Django's language cookie and saved on the account for signed-in people, whose pages, emails
and reminders then follow the account wherever they sign in."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def supported(code):
    """The portal's code for a requested language ("es-mx" -> "es"), or None."""
    if not code:
        return None
    try:
        code = translation.get_supported_language_variant(code)
    except LookupError:
        return None
    code = code.split("-")[0]
    return code if code in LANGUAGE_CODES else None


def language_choices():
    """Each language named in itself ("English", "Español"), so a person who cannot read the
    page's current language still finds their own."""
    return [
        (code, translation.get_language_info(code)["name_local"].capitalize())
        for code, _name in settings.LANGUAGES
    ]


def current_language():
    return supported(translation.get_language()) or settings.LANGUAGE_CODE.split("-")[0]


def remember(response, code):
    """Set Django's language cookie, as its own set_language view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def save_language(user, code):
    if user.is_authenticated and code and user.language != code:
        user.language = code
        user.save(update_fields=["language"])


@require_POST
def set_language(request):
    """Django's set_language (cookie and redirect back), and for a signed-in person the
    choice is saved on the account too."""
    response = django_set_language(request)
    save_language(request.user, supported(request.POST.get("language")))
    return response


class UserLanguageMiddleware:
    """A signed-in person's pages come in the language saved on the account, on any device
    (placed after AuthenticationMiddleware; LocaleMiddleware has already chosen for
    visitors from the cookie and the browser)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        code = supported(user.language) if user is not None and user.is_authenticated else None
        if code and code != translation.get_language():
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if code and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != code:
            # The device keeps the account's language after signing out, too.
            remember(response, code)
        return response


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        help_text=_("Used for your pages, emails and reminders."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def language_settings(request):
    """The account's language, on its own page beside the other account settings."""
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["language"]
            save_language(request.user, code)
            with translation.override(code):
                messages.success(request, str(_("Your language is saved.")))
            return remember(redirect("account-language"), code)
    else:
        form = LanguageForm(initial={"language": current_language()})
    return render(request, "toolkit_portal/language_form.html", {"form": form})
