# Where each point of "Every journey without a dead end" is walked in a browser, by labels.
# Tests here: DIRECTORY (test_coordinator_invites_from_the_directory_…),
# WORDS (test_a_form_only_link_what_is_owed_…), INBOX (test_a_new_request_is_in_her_inbox_…),
# PROPOSAL (test_a_coordinator_awaiting_approval_…), TYPO (test_a_visitor_finds_gundersen_…),
# MEMBER (test_an_invitation_as_a_plain_member_says_member),
# PARTNERSHIP (test_her_partnership_page_offers_the_closest_trainings_…),
# HEAT MAP (test_the_heat_map_rounds_a_mean_of_1_25_up_to_1_3).
#
# | point | what a person sees                                  | browser test           | lang  |
# |-------|-----------------------------------------------------|------------------------|-------|
# | 1     | directory: why one cannot be asked, not tickable;   | DIRECTORY              | en es |
# |       | a batch names who was not asked                     |                        |       |
# | 1     | a profile, an engagement in mind: the reason        | test_coordinator_journey | en es |
# | 2     | dates and amounts one way per language; date picker | WORDS, consultant_j… | en es |
# | 3     | a way back (breadcrumb); crawl: tests/test_no_dead_ends.py | INBOX           | en es |
# | 4     | a pending coordinator proposes her partnership      | PROPOSAL               | en es |
# | 4     | a plain member's invitation says "member"           | MEMBER                 | en es |
# | 5     | screens that fit; cards on phones; heat map, 390 px | test_screens_that_fit, | en es |
# |       |                                                     | test_accessibility_sweep |     |
# | 6     | a misspelt name found, an exact title first         | TYPO                   | en es |
# | 6     | closest trainings for an uncovered key area         | PARTNERSHIP            | en es |
# | 6     | one rating a person, said as such                   | TYPO; test_trainings_j… | en es |
# | 7     | what is owed before what was paid                   | WORDS                  | en es |
# | 7     | no "Unspecified" role bucket in the indicators      | PARTNERSHIP            | en es |
# | 7     | heat map rounds half up (1.25 -> 1.3)               | HEAT MAP               | en es |
# | 8     | a calendar event opens a page its reader can open   | INBOX                  | en es |
# | 8     | generated titles in the reader's language           | test_assessment_journey |      |
# | 9     | re-authentication says why; a form-only link:       | WORDS                  | en es |
# |       | sign in, then a page that explains, a way back      |                        |       |
# | 9     | completion names the day compensation is due        | test_consultant_journey | en es |
# | 9     | no doubled full stop after "Flo Jr."                | DIRECTORY              | en es |
# | 9     | a new request is in the inbox at once               | INBOX                  | en es |

"""Every journey without a dead end, in a real browser, by the labels a person reads, in
English and Spanish where words are involved: the directory says why a consultant cannot be
asked and who was not; the catalog forgives a misspelt name; a coordinator awaiting approval
proposes her partnership; a form-only link, what is owed, a re-authentication, her inbox and
calendar, a member's invitation, the partnership page and the heat map read right. On a
1280 px laptop unless said; every page is checked with axe-core."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.models import PartnershipProposal
from survivors.models import Availability, Compensation, ParticipationRequest
from tests.browser.conftest import (
    LAPTOP,
    assert_no_script_blocked,
    check_accessibility,
    enter_totp_code,
    sign_in_with_password,
)
from tests.survivors.factories import (
    CompensationFactory,
    ConsultantProfileFactory,
    EngagementFactory,
    ParticipationRequestFactory,
)
from tests.trainings.factories import ProviderFactory, TrainingFactory
from toolkit_portal.vocabulary import SurvivorRole
from trainings.models import Training

pytestmark = pytest.mark.browser


def label(text):
    """A form label as crispy renders it: surrounding space, an asterisk when required."""
    return re.compile(rf"^\s*{re.escape(text)}\*?\s*$")


@pytest.fixture
def directory(engagement):
    engagement.seats = 3
    engagement.roles_needed = [SurvivorRole.FEEDBACK]
    engagement.save()
    paused_until = timezone.localdate(engagement.starts_at) + timedelta(days=3)
    common = {"roles": [SurvivorRole.FEEDBACK]}
    return {
        "paused": ConsultantProfileFactory(
            display_name="Paused Pat",
            availability=Availability.PAUSED,
            paused_until=paused_until,
            **common,
        ),
        "flo": ConsultantProfileFactory(display_name="Flo Jr.", **common),
        "bo": ConsultantProfileFactory(display_name="Busy Bo", **common),
        "paused_until": paused_until,
    }


def _invite_from_the_directory(page, engagement, directory, words):
    """Open the engagement, find consultants, read why Pat cannot be ticked, tick the two
    others; Bo pauses meanwhile; send. `words` holds the page's words in its language."""
    page.goto(engagement.get_absolute_url())
    check_accessibility(page)
    page.get_by_role("link", name=words["find"]).click()
    expect(page.get_by_role("heading", name=words["directory"])).to_be_visible()
    check_accessibility(page)

    pat = page.get_by_role("checkbox", name=words["invite"] % "Paused Pat")
    expect(pat).to_be_disabled()
    # The reason is read with the checkbox (aria-describedby) and shown beside it.
    expect(pat).to_have_accessible_description(re.compile(re.escape(words["cannot"])))
    expect(page.get_by_text(words["paused"] % "Paused Pat")).to_be_visible()

    page.get_by_role("checkbox", name=words["invite"] % "Flo Jr.").check()
    page.get_by_role("checkbox", name=words["invite"] % "Busy Bo").check()
    # While she chooses, Bo pauses her requests.
    bo = directory["bo"]
    bo.availability = Availability.PAUSED
    bo.paused_until = directory["paused_until"]
    bo.save()
    page.get_by_role("button", name=words["send"]).click()

    # Her name ends in a full stop, and the sentence does not add a second one.
    sent = words["sent"] % "Flo Jr."
    expect(page.get_by_text(re.compile(re.escape(sent) + r"(?!\.)"))).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Flo Jr..")
    expect(
        page.get_by_text(re.compile(re.escape(words["not_asked"]) + ".*Busy Bo"))
    ).to_be_visible()
    check_accessibility(page)
    asked = ParticipationRequest.objects.filter(engagement=engagement)
    assert [r.consultant.display_name for r in asked] == ["Flo Jr."]


DIRECTORY_WORDS = {
    "en": {
        "find": "Find consultants to invite",
        "directory": "Survivor consultants",
        "invite": "Invite %s",
        "cannot": "Cannot be asked:",
        "paused": "%s has paused requests until",
        "send": "Send participation requests",
        "sent": "Participation request sent to %s",  # the name brings its full stop
        "not_asked": "Not asked:",
    },
    "es": {
        "find": "Buscar personas consultoras para invitar",
        "directory": "Personas consultoras sobrevivientes",
        "invite": "Invitar a %s",
        "cannot": "No se le puede pedir:",
        "paused": "%s pausó las solicitudes hasta el",
        "send": "Enviar las solicitudes de participación",
        "sent": "Se envió la solicitud de participación a %s",
        "not_asked": "Sin solicitud:",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_coordinator_invites_from_the_directory_and_reads_who_was_not_asked(
    page, live_server, recorder, coordinator, engagement, directory, language
):
    page.set_viewport_size(LAPTOP)
    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    if language == "es":
        page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    _invite_from_the_directory(page, engagement, directory, DIRECTORY_WORDS[language])
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_no_script_blocked(recorder)


GUNDERSEN = "Gundersen National Child Protection Training Center"


SEARCH_WORDS = {
    "en": {
        "trainings": "Trainings",
        "label": "Search trainings",
        "search": "Search",
        "found": r"trainings? found",
        "rated": "Rated 4.5 out of 5. Average of 2 people's latest ratings.",
    },
    "es": {
        "trainings": "Capacitaciones",
        "label": "Buscar capacitaciones",
        "search": "Buscar",
        "found": r"^Se encontr.+ capacitaci",
        "rated": "Valorada con 4.5 de 5. Promedio de las últimas valoraciones de 2 personas.",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_visitor_finds_gundersen_with_a_typo(page, live_server, recorder, language):
    from tests.toolkit_portal.factories import ConsultantFactory
    from tests.trainings.factories import EvaluationFactory
    from tests.trainings.test_catalog import needs_trigrams

    needs_trigrams()
    words = SEARCH_WORDS[language]
    gundersen = Training.objects.filter(title=GUNDERSEN).first()  # seed data, unless flushed
    if gundersen is None:
        gundersen = TrainingFactory(
            title=GUNDERSEN, provider=ProviderFactory(name="Gundersen Health")
        )
    # One person took it twice and rated it 1, then 5; another rated it 4: each counts once.
    twice = ConsultantFactory()
    for rating in (1, 5):
        EvaluationFactory(record__training=gundersen, record__person=twice, rating=rating)
    EvaluationFactory(record__training=gundersen, rating=4)
    TrainingFactory(title="Safe schools")
    TrainingFactory(title="Gunnison County orientation")
    page.set_viewport_size(LAPTOP)
    page.goto("/")
    if language == "es":
        page.get_by_role("button", name="Español").click()
    main = page.get_by_role("navigation", name=re.compile("^(Main|Principal)$"))
    main.get_by_role("link", name=words["trainings"], exact=True).click()
    check_accessibility(page)
    page.get_by_label(words["label"]).fill("Gundersn")
    page.get_by_role("button", name=words["search"], exact=True).click()
    results = page.get_by_role("list", name=re.compile(words["found"]))
    first = results.get_by_role("listitem").first
    expect(first.get_by_role("heading")).to_have_text(GUNDERSEN)
    expect(first.get_by_text(words["rated"])).to_be_visible()
    expect(results.get_by_role("link", name="Safe schools")).to_have_count(0)
    check_accessibility(page)
    assert_no_script_blocked(recorder)


PROPOSAL_WORDS = {
    "en": {
        "awaiting": "Your coordinator account is awaiting approval",
        "coordinate": "The partnership you coordinate",
        "name": "Partnership name",
        "region": "Region or areas served",
        "focus": ("Prevention", "Protection"),
        "organization": "Member organization %d",
        "sector": "Sector of organization %d",
        "sectors": ("Law enforcement", "Victim services"),
        "send": "Send the partnership",
        "no_sector": "Choose the sector this organization brings.",
        "sent": "Your partnership is sent.",
        "save": "Save the changes",
    },
    "es": {
        "awaiting": "Su cuenta de coordinación está pendiente de aprobación",
        "coordinate": "La alianza que coordina",
        "name": "Nombre de la alianza",
        "region": "Región o zonas que atiende",
        "focus": ("Prevención", "Protección"),
        "organization": "Organización miembro %d",
        "sector": "Sector de la organización %d",
        "sectors": ("Fuerzas del orden", "Servicios a víctimas"),
        "send": "Enviar la alianza",
        "no_sector": "Elija el sector que aporta esta organización.",
        "sent": "Su alianza se envió.",
        "save": "Guardar los cambios",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_coordinator_awaiting_approval_proposes_her_partnership(
    page, live_server, recorder, pending_coordinator, language
):
    pending_coordinator.language = language
    pending_coordinator.save()
    words = PROPOSAL_WORDS[language]
    organization, sector = words["organization"], words["sector"]
    page.set_viewport_size(LAPTOP)
    page.goto("/accounts/login/")
    sign_in_with_password(page, pending_coordinator.email)
    enter_totp_code(page)
    expect(page.get_by_role("heading", name=words["awaiting"])).to_be_visible()
    expect(page.get_by_role("heading", name=words["coordinate"])).to_be_visible()
    check_accessibility(page)

    page.get_by_label(label(words["name"])).fill("Western Slope Task Force")
    page.get_by_label(label(words["region"])).fill("Mesa, Delta")
    for focus in words["focus"]:
        page.get_by_role("checkbox", name=focus).check()
    page.get_by_label(label(organization % 1)).fill("Mesa County Sheriff")
    page.get_by_label(label(sector % 1)).select_option(label=words["sectors"][0])
    page.get_by_label(label(organization % 2)).fill("Safe Harbor")
    # She forgets the second sector: the form says so and keeps what she typed.
    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_text(words["no_sector"])).to_be_visible()
    check_accessibility(page)
    expect(page.get_by_label(label(organization % 2))).to_have_value("Safe Harbor")
    page.get_by_label(label(sector % 2)).select_option(label=words["sectors"][1])
    page.get_by_role("button", name=words["send"]).click()

    expect(page.get_by_text(words["sent"])).to_be_visible()
    expect(page.get_by_text(f"Safe Harbor ({words['sectors'][1]})")).to_be_visible()
    check_accessibility(page)
    proposal = PartnershipProposal.objects.get(proposer=pending_coordinator)
    assert proposal.organizations == [
        {"name": "Mesa County Sheriff", "sector": "law_enforcement"},
        {"name": "Safe Harbor", "sector": "victim_services"},
    ]
    assert proposal.focus == ["prevention", "protection"]

    # She changes the name; the same proposal is kept.
    page.get_by_label(label(words["name"])).fill("Grand Valley Task Force")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_text("Grand Valley Task Force").first).to_be_visible()
    assert PartnershipProposal.objects.get(proposer=pending_coordinator).name == (
        "Grand Valley Task Force"
    )
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_no_script_blocked(recorder)


# Words that explain, and numbers read one way (points 2, 7 and 9) ---------------------------

WORDS = {
    "en": {
        "form_only": "This address only takes a form",
        "back": "Back to your dashboard",
        "compensation": "Compensation",
        "owed": ("$150.00", "Jan. 4, 2031"),
        "paid": "Paid Nov. 3, 2025",
        "mark_paid": "Mark paid",
        "paid_on": "Paid on",
        "account": "Account",
        "two_factor": "Two-Factor Authentication",
        "confirm": "Confirm Access",
        "why": "Confirm it is you, so that no one else at a device left signed in",
    },
    "es": {
        "form_only": "Esta dirección solo recibe un formulario",
        "back": "Volver a su panel",
        "compensation": "Pagos",
        "owed": ("$150.00", "4 de enero de 2031"),
        "paid": "Pagado el 3 de noviembre de 2025",
        "mark_paid": "Marcar como pagado",
        "paid_on": "Pagado el",
        "account": "Cuenta",
        "two_factor": "Autenticación de dos factores",
        "confirm": "Confirme el acceso",
        "why": "Confirme que es usted, para que nadie más pueda hacerlo",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_form_only_link_what_is_owed_and_a_re_authentication_read_right(
    page, live_server, recorder, settings, coordinator, engagement, language
):
    coordinator.language = language
    coordinator.save()
    words = WORDS[language]
    CompensationFactory(
        request__engagement=engagement,
        request__consultant__display_name="Paid Pia",
        status=Compensation.Status.PAID,
        paid_on=date(2025, 11, 3),
        due_on=date(2025, 10, 20),
    )
    CompensationFactory(
        request__engagement=engagement,
        request__consultant__display_name="Owed Oli",
        due_on=date(2031, 1, 4),
    )
    page.set_viewport_size(LAPTOP)
    # A visitor follows a link to an address that only takes a form: she is asked to sign
    # in, then the page says what happened and offers the way back.
    page.goto(reverse("survivors:engagement-invite", kwargs={"pk": engagement.pk}))
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    expect(page.get_by_role("heading", name=words["form_only"])).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name=words["back"]).click()

    # What is owed now comes before what was paid last year, in one format per language.
    nav = page.get_by_role("navigation", name=re.compile("^(Main|Principal)$"))
    nav.get_by_role("link", name=words["compensation"], exact=True).click()
    rows = page.get_by_role("row").filter(has=page.get_by_role("cell"))
    expect(rows.first).to_contain_text("Owed Oli")
    for text in words["owed"]:
        expect(rows.first).to_contain_text(text)
    expect(rows.nth(1)).to_contain_text("Paid Pia")
    expect(rows.nth(1)).to_contain_text(words["paid"])
    check_accessibility(page)
    # The day it was paid is chosen with the browser's date picker.
    rows.first.get_by_role("link", name=words["mark_paid"]).click()
    expect(page.get_by_label(label(words["paid_on"]))).to_have_attribute("type", "date")

    # Once the sign-in is old, turning off the second factor asks again, and says why.
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    page.get_by_role("link", name=words["account"], exact=True).click()
    page.get_by_role("link", name=words["two_factor"]).click()
    page.get_by_role("link", name=re.compile("^(Deactivate|Desactivar)")).click()
    expect(page.get_by_role("heading", name=words["confirm"])).to_be_visible()
    expect(page.get_by_text(words["why"])).to_be_visible()
    check_accessibility(page)
    assert_no_script_blocked(recorder)


# Her inbox and her calendar (points 8 and 9) -------------------------------------------------

INBOX_WORDS = {
    "en": {
        "inbox": "Inbox",
        "new": "You have a new participation request.",
        "open": "Open",
        "add": "Add your engagements to your own calendar.",
        "create": "Create my calendar address",
        "address": "Your private calendar address",
    },
    "es": {
        "inbox": "Bandeja de entrada",
        "new": "Tiene una nueva solicitud de participación.",
        "open": "Abrir",
        "add": "Agregue sus actividades a su propio calendario.",
        "create": "Crear mi dirección de calendario",
        "address": "Su dirección privada de calendario",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_new_request_is_in_her_inbox_at_once_and_her_calendar_opens_her_own_page(
    page, live_server, recorder, coordinator, partnership_x, profile, language
):
    from icalendar import Calendar

    from survivors import services

    profile.user.language = language
    profile.user.save()
    words = INBOX_WORDS[language]
    accepted = ParticipationRequestFactory(
        engagement=EngagementFactory(partnership=partnership_x, title="Panel on outreach"),
        consultant=profile,
        status=ParticipationRequest.Status.ACCEPTED,
    )
    asked = EngagementFactory(partnership=partnership_x, title="Shelter intake review")
    # Sent a moment ago: no reminder sweep has run since.
    services.send_participation_requests(engagement=asked, consultants=[profile], actor=coordinator)

    page.goto("/accounts/login/")
    sign_in_with_password(page, profile.user.email)
    page.get_by_role("link", name=re.compile(rf"^{words['inbox']}")).first.click()
    item = page.get_by_role("listitem").filter(has_text=words["new"])
    expect(item).to_have_count(1)
    check_accessibility(page)

    page.get_by_role("link", name=words["add"]).click()
    page.get_by_role("button", name=words["create"]).click()
    feed_url = page.get_by_label(words["address"]).input_value()
    check_accessibility(page)
    # The way back is the breadcrumb; the request is still there to open.
    breadcrumb = page.get_by_role(
        "navigation", name=re.compile("^(Breadcrumb|Ruta de navegación)$")
    )
    breadcrumb.get_by_role("link", name=words["inbox"]).click()
    item.get_by_role("button", name=words["open"]).click()
    expect(page.get_by_role("heading", name="Shelter intake review", level=1)).to_be_visible()

    feed = Calendar.from_ical(page.request.get(feed_url).body())
    (event,) = feed.walk("VEVENT")
    assert str(event["summary"]) == "Panel on outreach"
    # The event opens her own request, a page she can read, not the coordinators' one.
    page.goto(re.sub(r"^https?://[^/]+", "", str(event["url"])))
    expect(page).to_have_url(re.compile(re.escape(accepted.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", name="Panel on outreach", level=1)).to_be_visible()
    check_accessibility(page)
    assert_no_script_blocked(recorder)


# A plain member's invitation (point 4) -------------------------------------------------------

MEMBER_WORDS = {
    "en": {
        "subject": "You are invited to join a partnership as a member",
        "heading": "Invitation to join %s as a member",
        "member": "as a member",
    },
    "es": {
        "subject": "Le invitan a unirse a una alianza como miembro",
        "heading": "Invitación para unirse a %s como miembro",
        "member": "como miembro",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_invitation_as_a_plain_member_says_member(
    page, live_server, recorder, coordinator, partnership_x, language
):
    from django.core import mail

    from partnerships.models import Membership
    from partnerships.services import send_invitation_email
    from tests.partnerships.factories import InvitationFactory

    coordinator.language = language
    coordinator.save()
    words = MEMBER_WORDS[language]
    invitation = InvitationFactory(
        partnership=partnership_x, invited_by=coordinator, role=Membership.Role.MEMBER
    )
    send_invitation_email(invitation.pk)
    (message,) = mail.outbox
    assert words["subject"] in message.subject
    sentence = next(part for part in message.body.split("\n\n") if partnership_x.name in part)
    assert words["member"] in sentence and "coordin" not in sentence, sentence
    link = re.search(r"https?://\S+/partnerships/invitations/\S+/", message.body).group(0)

    page.set_viewport_size(LAPTOP)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    if language == "es":
        page.get_by_role("button", name="Español").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(words["heading"] % partnership_x.name)
    check_accessibility(page)
    assert_no_script_blocked(recorder)


# Her partnership's page: closest trainings and roles by name (points 6 and 7) ----------------

PARTNERSHIP_WORDS = {
    "en": {
        "closest": "No training in the catalog covers Governance and leadership yet. "
        "These are the closest, by the principles they teach:",
        "by_role": "Engagements by role",
        "role": "Giving feedback to professionals, agencies and support services: 1",
    },
    "es": {
        "closest": "Ninguna capacitación del catálogo cubre todavía Gobernanza y liderazgo. "
        "Estas son las más cercanas, por los principios que enseñan:",
        "by_role": "Actividades por rol",
        "role": "Dar su opinión a profesionales, agencias y servicios de apoyo: 1",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_her_partnership_page_offers_the_closest_trainings_and_names_every_role(
    page, live_server, recorder, coordinator, partnership_x, consultant, profile, language
):
    from tests.assessment import assessment_helpers as helpers
    from tests.partnerships.factories import MembershipFactory
    from tests.toolkit_portal.factories import CoordinatorFactory

    coordinator.language = language
    coordinator.save()
    words = PARTNERSHIP_WORDS[language]
    # A closed round whose weakest key area, governance, no training names.
    for _ in range(3):
        MembershipFactory(partnership=partnership_x, user=CoordinatorFactory(), role="member")
    spring = helpers.open_round(partnership_x, coordinator)
    # Two answers, each given twice, on every statement: otherwise its figures are withheld.
    for index, rater in enumerate(spring.raters.all()):

        def level(item, i=index):
            return ("1122" if item.key_area == "governance" else "4455")[i]

        helpers.answer_all(spring, rater.user, level)
    helpers.close(spring, coordinator)
    # The catalog holds one training, for another key area, sharing governance's principles.
    Training.objects.update(is_published=False)
    TrainingFactory(
        title="Trust in practice", key_areas=["evaluation"], principles=["trustworthiness"]
    )
    # An engagement that names its role is counted under that role, never "unspecified".
    ParticipationRequestFactory(
        engagement=EngagementFactory(
            partnership=partnership_x, roles_needed=[SurvivorRole.FEEDBACK]
        ),
        consultant=profile,
        status=ParticipationRequest.Status.ACCEPTED,
    )

    page.set_viewport_size(LAPTOP)
    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    page.get_by_role("link", name="Partnership X").first.click()
    closest = page.get_by_text(words["closest"])
    expect(closest).to_be_visible()
    offered = closest.locator("xpath=following-sibling::ul[1]").get_by_role("link")
    expect(offered).to_have_text(["Trust in practice"])
    by_role = page.get_by_role("heading", name=words["by_role"])
    expect(by_role).to_be_visible()
    roles = page.locator("#inclusion-heading").locator("..").get_by_role("listitem")
    expect(roles).to_have_text([words["role"]])
    check_accessibility(page)
    assert_no_script_blocked(recorder)


# The heat map rounds half up (point 7) ---------------------------------------------------------

HEATMAP_WORDS = {
    "en": {"assessment": "Self-assessment", "table": "Mean rating per key area and principle"},
    "es": {
        "assessment": "Autoevaluación",
        "table": "Calificación promedio por área clave y principio",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_heat_map_rounds_a_mean_of_1_25_up_to_1_3(
    page, live_server, recorder, coordinator, partnership_x, language
):
    from tests.assessment import assessment_helpers as helpers
    from tests.partnerships.factories import MembershipFactory
    from tests.toolkit_portal.factories import CoordinatorFactory

    coordinator.language = language
    coordinator.save()
    words = HEATMAP_WORDS[language]
    # Eight raters: six answer 1 and two answer 2 on every statement, so every mean is 1.25
    # (and two answers, each given at least twice, may be shown).
    for _ in range(7):
        MembershipFactory(partnership=partnership_x, user=CoordinatorFactory(), role="member")
    spring = helpers.open_round(partnership_x, coordinator)
    for index, rater in enumerate(spring.raters.all()):
        helpers.answer_all(spring, rater.user, lambda item, i=index: "2" if i >= 6 else "1")
    helpers.close(spring, coordinator)

    page.set_viewport_size(LAPTOP)
    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    page.get_by_role("link", name="Partnership X").first.click()
    page.get_by_role("link", name=words["assessment"], exact=True).click()
    page.get_by_role("link", name="Spring").first.click()
    table = page.get_by_role("table", name=words["table"])
    cells = table.get_by_role("cell").filter(has_not_text="—")
    expect(cells.first).to_have_text("1.3")
    texts = {text.strip() for text in cells.all_inner_texts()}
    assert texts == {"1.3"}, texts
    expect(page.locator("#overall-mean")).to_have_text("1.25")
    check_accessibility(page)
    assert_no_script_blocked(recorder)
