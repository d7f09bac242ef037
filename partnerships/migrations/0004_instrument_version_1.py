"""Version 1 of the trauma-informed self-assessment: for each of the toolkit's ten key areas
one statement per principle (60), and one statement per Four R (4), in English and Spanish.

The wording lives here, as data: a later version is a new migration with a new number, and
rounds answered on this version keep it.
"""

from django.db import migrations

PRINCIPLES = [
    "safety",
    "trustworthiness",
    "survivor_support",
    "collaboration",
    "empowerment",
    "cultural",
]

# key area -> one (English, Spanish) statement per principle, in the order above.
STATEMENTS = {
    "governance": [
        (
            "Partnership leaders treat the safety of survivors and staff as a standing part of "
            "every decision.",
            "Los líderes de la alianza tratan la seguridad de las personas sobrevivientes y del "
            "personal como parte fija de cada decisión.",
        ),
        (
            "Leaders explain openly how decisions are made and who makes them.",
            "Los líderes explican abiertamente cómo se toman las decisiones y quién las toma.",
        ),
        (
            "Survivor leaders hold paid seats in the partnership's leadership, not only "
            "advisory roles.",
            "Líderes sobrevivientes ocupan puestos remunerados en la dirección de la alianza, no "
            "solo funciones de asesoría.",
        ),
        (
            "Power in leadership is shared across member agencies and with survivors.",
            "El poder de dirección se comparte entre las agencias miembros y con las personas "
            "sobrevivientes.",
        ),
        (
            "Leaders welcome disagreement and act on the views of survivors and staff.",
            "Los líderes aceptan el desacuerdo y actúan según las opiniones de las personas "
            "sobrevivientes y del personal.",
        ),
        (
            "The partnership's leadership reflects the cultures and communities it serves.",
            "La dirección de la alianza refleja las culturas y comunidades a las que sirve.",
        ),
    ],
    "policy": [
        (
            "Written policies protect the physical and emotional safety of survivors in every "
            "contact.",
            "Las políticas escritas protegen la seguridad física y emocional de las personas "
            "sobrevivientes en cada contacto.",
        ),
        (
            "Policies are written in plain language and shared with the people they affect.",
            "Las políticas están escritas en lenguaje sencillo y se comparten con las personas a "
            "quienes afectan.",
        ),
        (
            "Survivors review and help shape policies before they are adopted.",
            "Las personas sobrevivientes revisan y ayudan a formar las políticas antes de que se "
            "adopten.",
        ),
        (
            "Member agencies agree on shared policies for referrals, information sharing and "
            "consent.",
            "Las agencias miembros acuerdan políticas comunes sobre derivaciones, intercambio de "
            "información y consentimiento.",
        ),
        (
            "Policies let survivors decline, withdraw or change their consent without losing "
            "services.",
            "Las políticas permiten que las personas sobrevivientes rechacen, se retiren o "
            "cambien su consentimiento sin perder servicios.",
        ),
        (
            "Policies address language access, gender-responsive services and historical trauma.",
            "Las políticas atienden el acceso en otros idiomas, los servicios con perspectiva de "
            "género y el trauma histórico.",
        ),
    ],
    "physical_environment": [
        (
            "Meeting and service spaces are safe, private and welcoming, away from places that "
            "may cause distress.",
            "Los espacios de reunión y de servicios son seguros, privados y acogedores, lejos de "
            "lugares que puedan causar angustia.",
        ),
        (
            "People know in advance where they are going, who will be there and what will happen.",
            "Las personas saben de antemano adónde van, quién estará presente y qué va a pasar.",
        ),
        (
            "Spaces include room for peer support and for taking a break.",
            "Los espacios incluyen lugar para el apoyo entre pares y para tomar un descanso.",
        ),
        (
            "Survivors and staff are asked how spaces could feel safer, and changes follow.",
            "Se pregunta a las personas sobrevivientes y al personal cómo podrían sentirse más "
            "seguros los espacios, y se hacen cambios.",
        ),
        (
            "People can choose where to sit, when to step out and whether to meet in person or "
            "remotely.",
            "Las personas pueden elegir dónde sentarse, cuándo salir y si reunirse en persona o a "
            "distancia.",
        ),
        (
            "Spaces are accessible and show respect for the cultures, languages and genders of "
            "the people served.",
            "Los espacios son accesibles y muestran respeto por las culturas, los idiomas y los "
            "géneros de las personas atendidas.",
        ),
    ],
    "engagement": [
        (
            "Survivors are engaged in ways that never pressure them to retell their story.",
            "Se invita a participar a las personas sobrevivientes de maneras que nunca las "
            "presionan a volver a contar su historia.",
        ),
        (
            "Survivors know what their input will be used for and hear back about what changed.",
            "Las personas sobrevivientes saben para qué se usará su aporte y reciben noticias "
            "sobre lo que cambió.",
        ),
        (
            "Survivor consultants are paid as professionals for their time, preparation and "
            "travel.",
            "Las personas sobrevivientes que asesoran reciben pago como profesionales por su "
            "tiempo, su preparación y sus traslados.",
        ),
        (
            "Survivors take part from the start of a project, not only at the end.",
            "Las personas sobrevivientes participan desde el inicio de un proyecto, no solo al "
            "final.",
        ),
        (
            "Survivors choose how, when and how much they take part, and may say no without "
            "giving a reason.",
            "Las personas sobrevivientes eligen cómo, cuándo y cuánto participan, y pueden decir "
            "que no sin dar explicaciones.",
        ),
        (
            "Several survivors with different backgrounds are engaged, so no one is made the "
            "token voice.",
            "Participan varias personas sobrevivientes de distintos orígenes, para que ninguna "
            "sea tratada como la voz simbólica de todas.",
        ),
    ],
    "cross_sector": [
        (
            "Agencies coordinate so a survivor does not have to tell their story again to each "
            "one.",
            "Las agencias se coordinan para que una persona sobreviviente no tenga que contar su "
            "historia de nuevo en cada una.",
        ),
        (
            "Agencies are open with each other about their roles, limits and duties to report.",
            "Las agencias son transparentes entre sí sobre sus funciones, sus límites y sus "
            "obligaciones de denunciar.",
        ),
        (
            "Survivor-led organizations are full members of the partnership.",
            "Las organizaciones dirigidas por personas sobrevivientes son miembros plenos de la "
            "alianza.",
        ),
        (
            "Every sector at the table, from law enforcement to faith communities, sees its part "
            "in a trauma-informed approach.",
            "Cada sector presente, desde las fuerzas del orden hasta las comunidades de fe, "
            "reconoce su papel en un enfoque informado sobre el trauma.",
        ),
        (
            "Referrals between agencies happen only with the survivor's informed choice.",
            "Las derivaciones entre agencias se hacen solo con la decisión informada de la "
            "persona sobreviviente.",
        ),
        (
            "The partnership works with culturally specific and community organizations.",
            "La alianza trabaja con organizaciones comunitarias y con organizaciones que sirven "
            "a culturas específicas.",
        ),
    ],
    "screening": [
        (
            "Screening and assessment ask only what is needed, in a private and calm setting.",
            "Las evaluaciones preguntan solo lo necesario, en un lugar privado y tranquilo.",
        ),
        (
            "People are told why each question is asked and who will see their answers.",
            "Se explica a las personas por qué se hace cada pregunta y quién verá sus respuestas.",
        ),
        (
            "Services offer peer support from people with lived experience.",
            "Los servicios ofrecen apoyo entre pares de personas con experiencia vivida.",
        ),
        (
            "Service plans are made with the person, not for them.",
            "Los planes de servicio se hacen con la persona, no por ella.",
        ),
        (
            "People choose their own goals and may decline any service.",
            "Las personas eligen sus propias metas y pueden rechazar cualquier servicio.",
        ),
        (
            "Screening tools and services are offered in people's languages and fit their "
            "culture and gender.",
            "Las herramientas de evaluación y los servicios se ofrecen en el idioma de las "
            "personas y se adaptan a su cultura y su género.",
        ),
    ],
    "training": [
        (
            "All staff and volunteers are trained to recognize trauma and avoid re-traumatization.",
            "Todo el personal y el voluntariado recibe capacitación para reconocer el trauma y "
            "evitar la retraumatización.",
        ),
        (
            "Training plans, and who has completed them, are shared openly within the partnership.",
            "Los planes de capacitación, y quién los ha completado, se comparten abiertamente "
            "dentro de la alianza.",
        ),
        (
            "Survivor leaders help design and deliver training, and are paid for it.",
            "Líderes sobrevivientes ayudan a diseñar e impartir la capacitación, y reciben pago "
            "por ello.",
        ),
        (
            "Agencies train together across sectors.",
            "Las agencias se capacitan juntas, entre distintos sectores.",
        ),
        (
            "Staff get support for secondary trauma and can speak up about their own wellbeing.",
            "El personal recibe apoyo ante el trauma secundario y puede hablar con libertad de su "
            "propio bienestar.",
        ),
        (
            "Training covers cultural humility, gender-responsive practice and historical trauma.",
            "La capacitación aborda la humildad cultural, la práctica con perspectiva de género y "
            "el trauma histórico.",
        ),
    ],
    "progress_monitoring": [
        (
            "The partnership tracks incidents that harmed or distressed survivors and acts on "
            "them.",
            "La alianza registra los incidentes que dañaron o angustiaron a personas "
            "sobrevivientes y toma medidas.",
        ),
        (
            "Progress toward the partnership's goals is reported openly to members and survivors.",
            "El avance hacia las metas de la alianza se informa abiertamente a los miembros y a "
            "las personas sobrevivientes.",
        ),
        (
            "Survivors' feedback is gathered regularly and safely, anonymously if they wish.",
            "Las opiniones de las personas sobrevivientes se recogen con regularidad y de forma "
            "segura, de manera anónima si así lo desean.",
        ),
        (
            "Members review quality together and agree on what to improve.",
            "Los miembros revisan juntos la calidad y acuerdan qué mejorar.",
        ),
        (
            "Survivors and staff can raise a concern and see what was done about it.",
            "Las personas sobrevivientes y el personal pueden plantear una inquietud y ver qué se "
            "hizo al respecto.",
        ),
        (
            "Results are looked at by culture, language and gender to find who is not served well.",
            "Los resultados se analizan por cultura, idioma y género para detectar a quién no se "
            "atiende bien.",
        ),
    ],
    "financing": [
        (
            "The budget pays for safe spaces, transport and childcare so survivors can take part.",
            "El presupuesto cubre espacios seguros, transporte y cuidado infantil para que las "
            "personas sobrevivientes puedan participar.",
        ),
        (
            "How funds are raised and spent is shared openly with members and survivors.",
            "La manera en que se obtienen y se gastan los fondos se comparte abiertamente con los "
            "miembros y las personas sobrevivientes.",
        ),
        (
            "Survivor consultants and peer supporters are paid fairly and on time.",
            "Las personas sobrevivientes que asesoran y quienes brindan apoyo entre pares reciben "
            "un pago justo y puntual.",
        ),
        (
            "Members pool or align funding for shared trauma-informed work.",
            "Los miembros reúnen o coordinan fondos para el trabajo común informado sobre el "
            "trauma.",
        ),
        (
            "Survivors have a say in how funds for survivor services are used.",
            "Las personas sobrevivientes opinan sobre cómo se usan los fondos de los servicios "
            "para sobrevivientes.",
        ),
        (
            "Funding reaches culturally specific and survivor-led organizations.",
            "Los fondos llegan a organizaciones que sirven a culturas específicas y a "
            "organizaciones dirigidas por personas sobrevivientes.",
        ),
    ],
    "evaluation": [
        (
            "Evaluations are designed so that taking part cannot harm or expose survivors.",
            "Las evaluaciones se diseñan de modo que participar no pueda dañar ni exponer a las "
            "personas sobrevivientes.",
        ),
        (
            "Evaluation results are shared with everyone who took part.",
            "Los resultados de las evaluaciones se comparten con todas las personas que "
            "participaron.",
        ),
        (
            "Survivors help choose what is measured and how success is defined.",
            "Las personas sobrevivientes ayudan a decidir qué se mide y cómo se define el éxito.",
        ),
        (
            "Evaluation is planned together with member agencies and survivor leaders.",
            "La evaluación se planifica junto con las agencias miembros y líderes sobrevivientes.",
        ),
        (
            "Taking part in an evaluation is voluntary, paid, and can be stopped at any time.",
            "Participar en una evaluación es voluntario y remunerado, y se puede dejar en "
            "cualquier momento.",
        ),
        (
            "Evaluation methods respect the cultures and languages of the people asked.",
            "Los métodos de evaluación respetan las culturas y los idiomas de las personas "
            "consultadas.",
        ),
    ],
}

FOUR_RS = [
    (
        "realize",
        "The partnership realizes how widespread the impact of trauma is and understands the "
        "paths to recovery.",
        "La alianza comprende lo extendido que es el impacto del trauma y conoce los caminos "
        "hacia la recuperación.",
    ),
    (
        "recognize",
        "People in the partnership recognize the signs and symptoms of trauma in clients, "
        "families and staff.",
        "Las personas de la alianza reconocen las señales y los síntomas del trauma en "
        "clientes, familias y personal.",
    ),
    (
        "respond",
        "The partnership responds by fully integrating knowledge about trauma into its "
        "policies, procedures and practices.",
        "La alianza responde integrando plenamente el conocimiento sobre el trauma en sus "
        "políticas, procedimientos y prácticas.",
    ),
    (
        "resist",
        "The partnership actively seeks to resist re-traumatization.",
        "La alianza procura activamente evitar la retraumatización.",
    ),
]


def instrument_rows():
    """(code, key area, principle, four R, English, Spanish), in the order raters see them."""
    rows = []
    for area, statements in STATEMENTS.items():
        for principle, (english, spanish) in zip(PRINCIPLES, statements, strict=True):
            rows.append((f"{area}.{principle}", area, principle, "", english, spanish))
    for four_r, english, spanish in FOUR_RS:
        rows.append((f"four_r.{four_r}", "", "", four_r, english, spanish))
    return rows


def add_version_1(apps, schema_editor):
    InstrumentVersion = apps.get_model("partnerships", "InstrumentVersion")
    Item = apps.get_model("partnerships", "Item")
    version, created = InstrumentVersion.objects.get_or_create(
        number=1,
        defaults={
            "title": "Trauma-informed partnership self-assessment",
            "title_es": "Autoevaluación de una alianza informada sobre el trauma",
            "is_current": True,
            "notes": "The toolkit's ten key areas under its six principles, and the Four R's.",
        },
    )
    if not created:
        return
    Item.objects.bulk_create(
        Item(
            version=version,
            code=code,
            position=position,
            key_area=area,
            principle=principle,
            four_r=four_r,
            statement_en=english,
            statement_es=spanish,
        )
        for position, (code, area, principle, four_r, english, spanish) in enumerate(
            instrument_rows(), start=1
        )
    )


def remove_version_1(apps, schema_editor):
    InstrumentVersion = apps.get_model("partnerships", "InstrumentVersion")
    Item = apps.get_model("partnerships", "Item")
    Rounds = apps.get_model("partnerships", "AssessmentRound")
    if Rounds.objects.filter(version__number=1).exists():
        return
    Item.objects.filter(version__number=1).delete()
    InstrumentVersion.objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0003_assessment")]

    operations = [migrations.RunPython(add_version_1, remove_version_1)]
