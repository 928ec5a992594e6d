"""The demo's training curriculum: a five-day course on the rights of persons in migration
situations for police and border officers, after the outline in the design notes.

Version 1 is published and frozen, as if the first sessions had used it, with its
question bank and parallel forms A and B; version 2 is a draft based on it. Everything is
written through the training services, so the audit trail shows it. Every text was
written for Mizan; none is taken from OHCHR's Trainer's Guide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from mizan.institutions.models import Institution
from mizan.recommendations.models import Term
from mizan.training import services
from mizan.training.enums import QuestionKind, TeachingMethod
from mizan.training.models import Curriculum, CurriculumVersion

COURSE_CODE = "migration-rights"
FORMS_SEED = 2024

M = TeachingMethod


@dataclass(frozen=True)
class DemoQuestion:
    kind: str
    prompts: dict[str, str]
    #: (English, French, Arabic, correct)
    choices: tuple[tuple[str, str, str, bool], ...] = ()
    model_answers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoObjective:
    code: str
    texts: dict[str, str]
    questions: tuple[DemoQuestion, ...]


@dataclass(frozen=True)
class DemoModule:
    titles: dict[str, str]
    day: int
    duration_minutes: int
    methods: tuple[str, ...]
    summary: str
    #: "vocabulary:code"
    terms: tuple[str, ...]
    objectives: tuple[DemoObjective, ...]


Choice = tuple[str, str, str, bool]


def true_false(en: str, fr: str, ar: str, *, true: bool) -> DemoQuestion:
    return DemoQuestion(
        QuestionKind.TRUE_FALSE,
        {"en": en, "fr": fr, "ar": ar},
        (("True", "Vrai", "صحيح", true), ("False", "Faux", "خطأ", not true)),
    )


def single(en: str, fr: str, ar: str, *choices: Choice) -> DemoQuestion:
    return DemoQuestion(QuestionKind.SINGLE_CHOICE, {"en": en, "fr": fr, "ar": ar}, choices)


def multiple(en: str, fr: str, ar: str, *choices: Choice) -> DemoQuestion:
    return DemoQuestion(QuestionKind.MULTIPLE_CHOICE, {"en": en, "fr": fr, "ar": ar}, choices)


def short(
    en: str, fr: str, ar: str, answer_en: str, answer_fr: str, answer_ar: str
) -> DemoQuestion:
    return DemoQuestion(
        QuestionKind.SHORT_ANSWER,
        {"en": en, "fr": fr, "ar": ar},
        model_answers={"en": answer_en, "fr": answer_fr, "ar": answer_ar},
    )


TITLES = {
    "ar": "حقوق الأشخاص في سياق الهجرة",
    "fr": "Droits des personnes en situation de migration",
    "en": "Rights of persons in migration situations",
}
SUMMARY = (
    "A five-day course for police and border officers: the international framework, "
    "non-discrimination, rescue and the use of force, assistance and interviewing, "
    "identification and referral, detention and return, and cooperation with the NHRI. "
    "Participants take a pre-test and a post-test on parallel forms, evaluate the course, "
    "and commit to brief their colleagues."
)

MODULES: tuple[DemoModule, ...] = (
    DemoModule(
        titles={
            "ar": "الإطار الدولي لحقوق المهاجرين",
            "fr": "Le cadre international des droits des migrants",
            "en": "The international framework on migrants' rights",
        },
        day=1,
        duration_minutes=240,
        methods=(M.QUESTIONNAIRE, M.LECTURE, M.DISCUSSION),
        summary=(
            "Opening, participants' expectations and the pre-test. The migrant workers "
            "convention, the treaty bodies and the state's dialogue with them, and the "
            "Global Compact for Migration."
        ),
        terms=("gcm:23",),
        objectives=(
            DemoObjective(
                "1.1",
                {
                    "en": "Name the main international instruments that protect migrants.",
                    "fr": "Citer les principaux instruments internationaux qui protègent "
                    "les migrants.",
                    "ar": "ذكر الصكوك الدولية الرئيسية التي تحمي المهاجرين.",
                },
                (
                    single(
                        "Which committee monitors the migrant workers convention?",
                        "Quel comité surveille la convention sur les travailleurs migrants ?",
                        "ما اللجنة التي ترصد تطبيق اتفاقية العمال المهاجرين؟",
                        (
                            "The Committee on Migrant Workers",
                            "Le Comité des travailleurs migrants",
                            "اللجنة المعنية بالعمال المهاجرين",
                            True,
                        ),
                        (
                            "The Human Rights Council",
                            "Le Conseil des droits de l'homme",
                            "مجلس حقوق الإنسان",
                            False,
                        ),
                        ("The Security Council", "Le Conseil de sécurité", "مجلس الأمن", False),
                    ),
                    true_false(
                        "Human rights apply to migrants whatever their migration status.",
                        "Les droits de l'homme s'appliquent aux migrants quel que soit leur "
                        "statut migratoire.",
                        "تنطبق حقوق الإنسان على المهاجرين بصرف النظر عن وضعهم من حيث الهجرة.",
                        true=True,
                    ),
                    multiple(
                        "Which of these treaties protect migrants in an irregular situation?",
                        "Lesquels de ces traités protègent les migrants en situation irrégulière ?",
                        "أيٌّ من هذه المعاهدات يحمي المهاجرين في وضعية غير نظامية؟",
                        (
                            "The Convention against Torture",
                            "La Convention contre la torture",
                            "اتفاقية مناهضة التعذيب",
                            True,
                        ),
                        (
                            "The migrant workers convention",
                            "La convention sur les travailleurs migrants",
                            "اتفاقية العمال المهاجرين",
                            True,
                        ),
                        (
                            "None: they are protected only once their stay is regular",
                            "Aucun : ils ne sont protégés qu'une fois leur séjour régularisé",
                            "لا شيء منها: فهم لا يتمتعون بالحماية إلا بعد تسوية وضعية إقامتهم",
                            False,
                        ),
                    ),
                ),
            ),
            DemoObjective(
                "1.2",
                {
                    "en": "Explain how a treaty body reviews a state and what its "
                    "recommendations ask of law enforcement.",
                    "fr": "Expliquer comment un organe conventionnel examine un État et ce "
                    "que ses recommandations demandent aux forces de l'ordre.",
                    "ar": "شرح كيف تنظر هيئة من هيئات المعاهدات في حالة دولة ما، وما "
                    "تطلبه توصياتها من أجهزة إنفاذ القانون.",
                },
                (
                    single(
                        "What does a treaty body adopt at the end of a state's review?",
                        "Qu'adopte un organe conventionnel à la fin de l'examen d'un État ?",
                        "ماذا تعتمد هيئة المعاهدة في ختام النظر في حالة دولة ما؟",
                        (
                            "Concluding observations",
                            "Des observations finales",
                            "ملاحظات ختامية",
                            True,
                        ),
                        ("A court judgment", "Un jugement", "حكم قضائي", False),
                        ("A new treaty", "Un nouveau traité", "معاهدة جديدة", False),
                    ),
                    short(
                        "Give one recommendation a treaty body could address to the police "
                        "about migrants.",
                        "Donnez une recommandation qu'un organe conventionnel pourrait "
                        "adresser à la police au sujet des migrants.",
                        "اذكر توصية واحدة يمكن أن توجهها هيئة معاهدة إلى الشرطة بشأن المهاجرين.",
                        "For example: train officers on migrants' rights, or investigate "
                        "complaints of ill-treatment at the border.",
                        "Par exemple : former les agents aux droits des migrants, ou enquêter "
                        "sur les plaintes de mauvais traitements à la frontière.",
                        "على سبيل المثال: تكوين الموظفين في مجال حقوق المهاجرين، أو التحقيق "
                        "في الشكايات المتعلقة بسوء المعاملة على الحدود.",
                    ),
                ),
            ),
            DemoObjective(
                "1.3",
                {
                    "en": "Describe the Global Compact for Migration and its link with "
                    "human rights.",
                    "fr": "Décrire le Pacte mondial sur les migrations et son lien avec les "
                    "droits de l'homme.",
                    "ar": "وصف الاتفاق العالمي من أجل الهجرة وصلته بحقوق الإنسان.",
                },
                (
                    true_false(
                        "The Global Compact for Migration is a legally binding treaty.",
                        "Le Pacte mondial sur les migrations est un traité juridiquement "
                        "contraignant.",
                        "الاتفاق العالمي من أجل الهجرة معاهدة ملزمة قانونًا.",
                        true=False,
                    ),
                    single(
                        "How many objectives does the Global Compact for Migration have?",
                        "Combien d'objectifs le Pacte mondial sur les migrations compte-t-il ?",
                        "كم عدد أهداف الاتفاق العالمي من أجل الهجرة؟",
                        ("23", "23", "23", True),
                        ("10", "10", "10", False),
                        ("17", "17", "17", False),
                    ),
                ),
            ),
        ),
    ),
    DemoModule(
        titles={
            "ar": "عدم التمييز والتنميط وجرائم الكراهية",
            "fr": "Non-discrimination, profilage et crimes de haine",
            "en": "Non-discrimination, profiling and hate crime",
        },
        day=2,
        duration_minutes=180,
        methods=(M.CASE_STUDY, M.DISCUSSION),
        summary=(
            "Identity checks without profiling on appearance or origin; recognising, "
            "recording and referring crimes motivated by bias against migrants."
        ),
        terms=("border-guidelines:G1", "gcm:17"),
        objectives=(
            DemoObjective(
                "2.1",
                {
                    "en": "Recognise discriminatory profiling in identity checks.",
                    "fr": "Reconnaître le profilage discriminatoire lors des contrôles d'identité.",
                    "ar": "التعرف على التنميط التمييزي أثناء عمليات التحقق من الهوية.",
                },
                (
                    single(
                        "An officer checks only the passengers who look foreign. This is:",
                        "Un agent ne contrôle que les passagers qui ont l'air étrangers. C'est :",
                        "لا يتحقق أحد الموظفين إلا من هوية الركاب الذين يبدو عليهم أنهم "
                        "أجانب. هذا:",
                        (
                            "Discriminatory profiling",
                            "Du profilage discriminatoire",
                            "تنميط تمييزي",
                            True,
                        ),
                        ("Good practice", "Une bonne pratique", "ممارسة جيدة", False),
                        ("A random check", "Un contrôle aléatoire", "تحقق عشوائي", False),
                    ),
                    true_false(
                        "A check based on objective information about a person's behaviour "
                        "can be lawful.",
                        "Un contrôle fondé sur des informations objectives sur le "
                        "comportement d'une personne peut être légal.",
                        "يمكن أن يكون التحقق المستند إلى معلومات موضوعية عن سلوك الشخص قانونيًا.",
                        true=True,
                    ),
                    true_false(
                        "Skin colour alone is a sufficient reason for an identity check.",
                        "La couleur de peau suffit à justifier un contrôle d'identité.",
                        "لون البشرة وحده سبب كافٍ للتحقق من الهوية.",
                        true=False,
                    ),
                ),
            ),
            DemoObjective(
                "2.2",
                {
                    "en": "Record and refer a suspected hate crime against a migrant.",
                    "fr": "Enregistrer et transmettre un crime de haine présumé contre un migrant.",
                    "ar": "تسجيل جريمة كراهية يُشتبه في ارتكابها ضد مهاجر وإحالتها.",
                },
                (
                    multiple(
                        "Which signs may point to a hate crime?",
                        "Quels indices peuvent signaler un crime de haine ?",
                        "ما المؤشرات التي قد تدل على جريمة كراهية؟",
                        (
                            "Insults about origin during the attack",
                            "Des insultes sur l'origine pendant l'agression",
                            "إهانات تتعلق بالأصل أثناء الاعتداء",
                            True,
                        ),
                        (
                            "The victim's own view of the motive",
                            "Le motif perçu par la victime",
                            "رأي الضحية نفسها في الدافع",
                            True,
                        ),
                        ("The time of day", "L'heure de la journée", "ساعة وقوع الاعتداء", False),
                    ),
                    short(
                        "What should the report of a suspected hate crime record?",
                        "Que doit consigner le rapport sur un crime de haine présumé ?",
                        "ما الذي ينبغي أن يتضمنه المحضر المتعلق بجريمة كراهية مشتبه فيها؟",
                        "The facts, the words and signs of bias, the victim's view of the "
                        "motive, and the referral made.",
                        "Les faits, les propos et indices de préjugé, le motif perçu par la "
                        "victime et l'orientation effectuée.",
                        "الوقائع، والألفاظ والمؤشرات الدالة على التحيز، ورأي الضحية في "
                        "الدافع، والإحالة التي تمت.",
                    ),
                ),
            ),
        ),
    ),
    DemoModule(
        titles={
            "ar": "الإنقاذ والاعتراض واستخدام القوة",
            "fr": "Sauvetage, interception et usage de la force",
            "en": "Rescue, interception and the use of force",
        },
        day=2,
        duration_minutes=180,
        methods=(M.ROLE_PLAY, M.CASE_STUDY),
        summary=(
            "Saving lives first; interceptions that respect rights; the principles of "
            "legality, necessity, proportionality and precaution in the use of force."
        ),
        terms=("border-guidelines:G4", "gcm:8"),
        objectives=(
            DemoObjective(
                "3.1",
                {
                    "en": "Apply necessity and proportionality to the use of force at the border.",
                    "fr": "Appliquer la nécessité et la proportionnalité à l'usage de la "
                    "force à la frontière.",
                    "ar": "تطبيق مبدأي الضرورة والتناسب على استخدام القوة على الحدود.",
                },
                (
                    multiple(
                        "Which principles govern the use of force by officers?",
                        "Quels principes encadrent l'usage de la force par les agents ?",
                        "ما المبادئ التي تحكم استخدام الموظفين للقوة؟",
                        ("Necessity", "Nécessité", "الضرورة", True),
                        ("Proportionality", "Proportionnalité", "التناسب", True),
                        (
                            "Deterrence of future crossings",
                            "Dissuasion des passages futurs",
                            "ردع محاولات العبور في المستقبل",
                            False,
                        ),
                    ),
                    true_false(
                        "Force may be used to punish a person who crossed irregularly.",
                        "La force peut être utilisée pour punir une personne entrée "
                        "irrégulièrement.",
                        "يجوز استخدام القوة لمعاقبة شخص عبر الحدود بطريقة غير نظامية.",
                        true=False,
                    ),
                ),
            ),
            DemoObjective(
                "3.2",
                {
                    "en": "Put rescue before border control when lives are at risk.",
                    "fr": "Faire passer le sauvetage avant le contrôle lorsque des vies sont "
                    "en danger.",
                    "ar": "إعطاء الأولوية للإنقاذ على مراقبة الحدود عندما تكون الأرواح "
                    "معرضة للخطر.",
                },
                (
                    single(
                        "A boat in distress is spotted near the coast. The first duty is to:",
                        "Un bateau en détresse est repéré près de la côte. Le premier devoir "
                        "est de :",
                        "رُصد قارب في حالة استغاثة قرب الساحل. الواجب الأول هو:",
                        (
                            "Rescue the people on board",
                            "Secourir les personnes à bord",
                            "إنقاذ الأشخاص الموجودين على متنه",
                            True,
                        ),
                        (
                            "Check their documents",
                            "Vérifier leurs documents",
                            "التحقق من وثائقهم",
                            False,
                        ),
                        ("Push the boat back", "Repousser le bateau", "صدّ القارب", False),
                    ),
                    true_false(
                        "The duty to rescue depends on the nationality of the people in distress.",
                        "Le devoir de sauvetage dépend de la nationalité des personnes en "
                        "détresse.",
                        "يتوقف واجب الإنقاذ على جنسية الأشخاص الذين يوجدون في حالة استغاثة.",
                        true=False,
                    ),
                ),
            ),
        ),
    ),
    DemoModule(
        titles={
            "ar": "المساعدة الفورية والفرز وإجراء المقابلات",
            "fr": "Assistance immédiate, filtrage et entretiens",
            "en": "Immediate assistance, screening and interviewing",
        },
        day=3,
        duration_minutes=240,
        methods=(M.ROLE_PLAY, M.CASE_STUDY),
        summary=(
            "First contact: medical care, water, food and shelter. Interviews that are "
            "sensitive to gender and to children, with an interpreter when needed."
        ),
        terms=("border-guidelines:G5", "border-guidelines:G6", "gcm:12"),
        objectives=(
            DemoObjective(
                "4.1",
                {
                    "en": "Identify a person's immediate needs on first contact.",
                    "fr": "Repérer les besoins immédiats d'une personne au premier contact.",
                    "ar": "تحديد الاحتياجات الفورية للشخص عند أول اتصال به.",
                },
                (
                    multiple(
                        "Which needs come first on arrival?",
                        "Quels besoins passent en premier à l'arrivée ?",
                        "ما الاحتياجات التي تأتي في المقام الأول عند الوصول؟",
                        ("Medical care", "Les soins médicaux", "الرعاية الطبية", True),
                        ("Water and food", "L'eau et la nourriture", "الماء والغذاء", True),
                        (
                            "A full interview on the route",
                            "Un entretien complet sur le trajet",
                            "مقابلة كاملة حول مسار الرحلة",
                            False,
                        ),
                    ),
                    true_false(
                        "Assistance may wait until a person's identity is established.",
                        "L'assistance peut attendre que l'identité de la personne soit établie.",
                        "يمكن تأجيل المساعدة إلى حين التثبت من هوية الشخص.",
                        true=False,
                    ),
                ),
            ),
            DemoObjective(
                "4.2",
                {
                    "en": "Conduct an interview that is sensitive to gender and to children.",
                    "fr": "Mener un entretien attentif au genre et aux enfants.",
                    "ar": "إجراء مقابلة تراعي النوع الاجتماعي وخصوصيات الأطفال.",
                },
                (
                    single(
                        "A woman asks to speak to a female officer. You:",
                        "Une femme demande à parler à une agente. Vous :",
                        "تطلب امرأة التحدث إلى موظفة. ماذا تفعل؟",
                        (
                            "Arrange it where possible",
                            "L'organisez dans la mesure du possible",
                            "تُرتّب ذلك قدر الإمكان",
                            True,
                        ),
                        (
                            "Refuse: any officer will do",
                            "Refusez : n'importe quel agent convient",
                            "ترفض: فأي موظف يفي بالغرض",
                            False,
                        ),
                        ("End the interview", "Mettez fin à l'entretien", "تُنهي المقابلة", False),
                    ),
                    short(
                        "Name two things that make an interview with a child safer.",
                        "Citez deux éléments qui rendent un entretien avec un enfant plus sûr.",
                        "اذكر أمرين يجعلان المقابلة مع طفل أكثر أمانًا.",
                        "For example: a guardian or trusted adult present, simple language, "
                        "breaks, a child-friendly room.",
                        "Par exemple : un tuteur ou un adulte de confiance présent, un langage "
                        "simple, des pauses, une pièce adaptée.",
                        "على سبيل المثال: حضور وصي أو شخص بالغ موضع ثقة، ولغة بسيطة، وفترات "
                        "استراحة، وقاعة ملائمة للأطفال.",
                    ),
                    true_false(
                        "An interpreter should be offered when the person does not "
                        "understand the officer's language.",
                        "Un interprète doit être proposé lorsque la personne ne comprend pas "
                        "la langue de l'agent.",
                        "ينبغي أن يُعرض على الشخص الاستعانة بمترجم فوري عندما لا يفهم لغة الموظف.",
                        true=True,
                    ),
                ),
            ),
        ),
    ),
    DemoModule(
        titles={
            "ar": "تحديد الأشخاص في أوضاع هشة وإحالتهم",
            "fr": "Identifier et orienter les personnes en situation de vulnérabilité",
            "en": "Identifying and referring people in vulnerable situations",
        },
        day=3,
        duration_minutes=180,
        methods=(M.CASE_STUDY, M.WORKING_GROUP),
        summary=(
            "Victims of trafficking, smuggled migrants, asylum seekers and children: "
            "telling them apart, and referring each to the service that protects them."
        ),
        terms=("border-guidelines:G7", "gcm:9", "gcm:10"),
        objectives=(
            DemoObjective(
                "5.1",
                {
                    "en": "Distinguish trafficking in persons from the smuggling of migrants.",
                    "fr": "Distinguer la traite des personnes du trafic illicite de migrants.",
                    "ar": "التمييز بين الاتجار بالبشر وتهريب المهاجرين.",
                },
                (
                    single(
                        "What sets trafficking apart from smuggling?",
                        "Qu'est-ce qui distingue la traite du trafic illicite ?",
                        "ما الذي يميز الاتجار بالبشر عن تهريب المهاجرين؟",
                        (
                            "The purpose of exploitation",
                            "Le but d'exploitation",
                            "غرض الاستغلال",
                            True,
                        ),
                        ("Crossing a border", "Le passage d'une frontière", "عبور الحدود", False),
                        (
                            "Payment to the smuggler",
                            "Le paiement du passeur",
                            "دفع المال للمهرِّب",
                            False,
                        ),
                    ),
                    true_false(
                        "Trafficking in persons can happen without crossing a border.",
                        "La traite des personnes peut avoir lieu sans passage de frontière.",
                        "يمكن أن يقع الاتجار بالبشر دون عبور الحدود.",
                        true=True,
                    ),
                ),
            ),
            DemoObjective(
                "5.2",
                {
                    "en": "Refer asylum seekers, children and victims of trafficking to the "
                    "competent service.",
                    "fr": "Orienter les demandeurs d'asile, les enfants et les victimes de "
                    "traite vers le service compétent.",
                    "ar": "إحالة طالبي اللجوء والأطفال وضحايا الاتجار بالبشر إلى المصلحة المختصة.",
                },
                (
                    single(
                        "An unaccompanied child is found at the border. You first:",
                        "Un enfant non accompagné est trouvé à la frontière. Vous d'abord :",
                        "عُثر على طفل غير مصحوب على الحدود. ماذا تفعل أولًا؟",
                        (
                            "Refer the child to child protection",
                            "Orientez l'enfant vers la protection de l'enfance",
                            "تُحيل الطفل إلى مصالح حماية الطفولة",
                            True,
                        ),
                        (
                            "Return the child at once",
                            "Renvoyez l'enfant immédiatement",
                            "تُرحّل الطفل على الفور",
                            False,
                        ),
                        (
                            "Place the child in detention",
                            "Placez l'enfant en rétention",
                            "تضع الطفل رهن الاحتجاز",
                            False,
                        ),
                    ),
                    true_false(
                        "A person who asks for asylum at the border must be given access to "
                        "the asylum procedure.",
                        "Une personne qui demande l'asile à la frontière doit avoir accès à la "
                        "procédure d'asile.",
                        "يجب تمكين الشخص الذي يطلب اللجوء على الحدود من الولوج إلى مسطرة اللجوء.",
                        true=True,
                    ),
                ),
            ),
        ),
    ),
    DemoModule(
        titles={
            "ar": "الاحتجاز وبدائله والإعادة",
            "fr": "Rétention, alternatives et retour",
            "en": "Detention, its alternatives and return",
        },
        day=4,
        duration_minutes=300,
        methods=(M.CASE_STUDY, M.DEBATE),
        summary=(
            "Detention as a last resort and its alternatives; non-refoulement, the ban on "
            "collective expulsion, and return in safety and dignity."
        ),
        terms=("border-guidelines:G8", "border-guidelines:G9", "gcm:13", "gcm:21"),
        objectives=(
            DemoObjective(
                "6.1",
                {
                    "en": "Explain why detention is a last resort and name alternatives.",
                    "fr": "Expliquer pourquoi la rétention est un dernier recours et citer "
                    "des alternatives.",
                    "ar": "شرح سبب اعتبار الاحتجاز ملاذًا أخيرًا، وذكر بدائل له.",
                },
                (
                    multiple(
                        "Which are alternatives to immigration detention?",
                        "Lesquelles sont des alternatives à la rétention administrative ?",
                        "أيٌّ مما يلي يُعدّ من بدائل احتجاز المهاجرين؟",
                        (
                            "Regular reporting to the authorities",
                            "Le pointage régulier auprès des autorités",
                            "التقدم بانتظام إلى السلطات لإثبات الحضور",
                            True,
                        ),
                        (
                            "Community-based case management",
                            "Un suivi individuel dans la communauté",
                            "تتبع فردي للحالات داخل المجتمع",
                            True,
                        ),
                        (
                            "Detention in a police cell",
                            "La détention en cellule de police",
                            "الاحتجاز في زنزانة للشرطة",
                            False,
                        ),
                    ),
                    true_false(
                        "Detaining children for migration reasons is never in their best "
                        "interests.",
                        "Retenir des enfants pour des raisons migratoires n'est jamais dans "
                        "leur intérêt supérieur.",
                        "لا يكون احتجاز الأطفال لأسباب تتعلق بالهجرة أبدًا في مصلحتهم الفضلى.",
                        true=True,
                    ),
                ),
            ),
            DemoObjective(
                "6.2",
                {
                    "en": "Explain non-refoulement and the ban on collective expulsion.",
                    "fr": "Expliquer le non-refoulement et l'interdiction des expulsions "
                    "collectives.",
                    "ar": "شرح مبدأ عدم الإعادة القسرية وحظر الطرد الجماعي.",
                },
                (
                    single(
                        "Non-refoulement forbids sending a person to a country where they:",
                        "Le non-refoulement interdit de renvoyer une personne vers un pays où "
                        "elle :",
                        "يحظر مبدأ عدم الإعادة القسرية ترحيل شخص إلى بلد:",
                        (
                            "Face a real risk of torture or serious harm",
                            "Court un risque réel de torture ou d'atteinte grave",
                            "يواجه فيه خطرًا حقيقيًا بالتعرض للتعذيب أو لضرر جسيم",
                            True,
                        ),
                        ("Have no job", "N'a pas d'emploi", "لا عمل له فيه", False),
                        ("Have never lived", "N'a jamais vécu", "لم يسبق له أن عاش فيه", False),
                    ),
                    true_false(
                        "A group of migrants may be expelled together without examining each "
                        "person's situation.",
                        "Un groupe de migrants peut être expulsé ensemble sans examen de la "
                        "situation de chacun.",
                        "يجوز طرد مجموعة من المهاجرين دفعة واحدة دون دراسة وضعية كل واحد منهم.",
                        true=False,
                    ),
                ),
            ),
        ),
    ),
    DemoModule(
        titles={
            "ar": "التعاون والمساءلة",
            "fr": "Coopération et redevabilité",
            "en": "Cooperation and accountability",
        },
        day=5,
        duration_minutes=240,
        methods=(M.WORKING_GROUP, M.QUESTIONNAIRE),
        summary=(
            "Inter-agency work, the NHRI's monitoring and complaints; post-test, course "
            "evaluation, personal action plans and suggestions for the next sessions."
        ),
        terms=(
            "border-guidelines:G2",
            "border-guidelines:G3",
            "border-guidelines:G10",
            "gcm:11",
            "gcm:23",
        ),
        objectives=(
            DemoObjective(
                "7.1",
                {
                    "en": "Describe the NHRI's monitoring role and how a complaint is handled.",
                    "fr": "Décrire le rôle de surveillance de l'INDH et le traitement d'une "
                    "plainte.",
                    "ar": "وصف دور المجلس الوطني لحقوق الإنسان في الرصد وكيفية معالجة الشكاية.",
                },
                (
                    true_false(
                        "The NHRI may visit places where migrants are held.",
                        "L'INDH peut visiter les lieux où des migrants sont retenus.",
                        "يجوز للمجلس الوطني لحقوق الإنسان زيارة الأماكن التي يُحتجز فيها مهاجرون.",
                        true=True,
                    ),
                    single(
                        "A migrant wants to complain about an officer. You:",
                        "Un migrant veut porter plainte contre un agent. Vous :",
                        "يريد مهاجر تقديم شكاية ضد موظف. ماذا تفعل؟",
                        (
                            "Tell them how to complain, including to the NHRI",
                            "Lui indiquez comment porter plainte, y compris auprès de l'INDH",
                            "تُعرّفه بكيفية تقديم الشكاية، بما في ذلك لدى المجلس الوطني "
                            "لحقوق الإنسان",
                            True,
                        ),
                        (
                            "Discourage the complaint",
                            "Le dissuadez de porter plainte",
                            "تُثنيه عن تقديم الشكاية",
                            False,
                        ),
                        ("Ignore the request", "Ignorez la demande", "تتجاهل طلبه", False),
                    ),
                ),
            ),
            DemoObjective(
                "7.2",
                {
                    "en": "Plan how to apply the course at work and brief colleagues.",
                    "fr": "Planifier l'application de la formation au travail et "
                    "l'information des collègues.",
                    "ar": "التخطيط لتطبيق مضامين الدورة التكوينية في العمل وإطلاع الزملاء عليها.",
                },
                (
                    short(
                        "Name one change you will make in your work after this course.",
                        "Citez un changement que vous apporterez à votre travail après cette "
                        "formation.",
                        "اذكر تغييرًا واحدًا ستُدخله على عملك بعد هذه الدورة التكوينية.",
                        "Any concrete, observable change, for example offering an "
                        "interpreter at every interview.",
                        "Tout changement concret et observable, par exemple proposer un "
                        "interprète à chaque entretien.",
                        "أي تغيير ملموس وقابل للملاحظة، مثل اقتراح الاستعانة بمترجم فوري في "
                        "كل مقابلة.",
                    ),
                    true_false(
                        "Briefing colleagues after the course is part of the commitment "
                        "participants make.",
                        "Informer ses collègues après la formation fait partie de "
                        "l'engagement des participants.",
                        "إطلاع الزملاء بعد الدورة التكوينية جزء من الالتزام الذي يتعهد به "
                        "المشاركون.",
                        true=True,
                    ),
                ),
            ),
        ),
    ),
)

VERSION_2_CHANGELOG = (
    "Module 4 gets 30 more minutes for a role play on interviewing a child travelling "
    "alone, as trainers suggested after the first sessions."
)


def _terms() -> dict[str, Term]:
    return {
        f"{term.vocabulary.code}:{term.code}": term
        for term in Term.objects.filter(
            vocabulary__code__in=("border-guidelines", "gcm")
        ).select_related("vocabulary")
    }


def _keeper(by: Any) -> Institution:
    keeper = Institution.objects.filter(code="police").first()
    if keeper is None and getattr(by, "is_authenticated", False):
        membership = by.memberships.select_related("institution").first()
        keeper = membership.institution if membership is not None else None
    if keeper is None:
        keeper = Institution.objects.order_by("id").first()
    if keeper is None:
        raise ValueError("The demo course needs an institution to keep it.")
    return keeper


def _fill(version: CurriculumVersion, by: Any) -> None:
    terms = _terms()
    for demo in MODULES:
        module = services.add_module(
            version=version,
            titles=demo.titles,
            day=demo.day,
            duration_minutes=demo.duration_minutes,
            methods=list(demo.methods),
            summary=demo.summary,
            terms=[terms[key] for key in demo.terms if key in terms],
            by=by,
        )
        for objective_demo in demo.objectives:
            objective = services.add_objective(
                module=module, code=objective_demo.code, texts=objective_demo.texts, by=by
            )
            for question in objective_demo.questions:
                services.add_question(
                    objective=objective,
                    kind=question.kind,
                    prompts=question.prompts,
                    choices=[
                        {"texts": {"en": en, "fr": fr, "ar": ar}, "is_correct": correct}
                        for en, fr, ar, correct in question.choices
                    ],
                    model_answers=question.model_answers,
                    by=by,
                )


@transaction.atomic
def load_course(by: Any) -> Curriculum:
    """Load the demo curriculum, unless a curriculum with its code exists already."""
    existing = Curriculum.objects.filter(code=COURSE_CODE).first()
    if existing is not None:
        return existing
    curriculum = services.create_curriculum(
        code=COURSE_CODE, titles=TITLES, summary=SUMMARY, keeper=_keeper(by), by=by
    )
    first = curriculum.versions.get(number=1)
    _fill(first, by)
    services.assemble_parallel_forms(version=first, per_objective=1, seed=FORMS_SEED, by=by)
    services.publish_version(version=first, by=by)
    services.freeze_version(version=first, by=by, reason="Used by the first sessions.")
    second = services.new_version_from(version=first, changelog=VERSION_2_CHANGELOG, by=by)
    interviewing = second.modules.order_by("order")[3]
    services.update_module(
        module=interviewing,
        duration_minutes=interviewing.duration_minutes + 30,
        by=by,
    )
    return curriculum
