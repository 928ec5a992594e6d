"""The demo's content: a fictional follow-up case set in Morocco.

Every recommendation text here was written for Mizan. None is copied from a UN document,
and the documents' titles say so. The symbols only show what real ones look like.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mizan.accounts.enums import Role
from mizan.institutions.enums import InstitutionKind
from mizan.recommendations.enums import ImplementationStatus, MechanismKind, Position

DEMO_PASSWORD = "mizan-demo"  # noqa: S105 - printed for everyone to use; demo data only
STATE_UNDER_REVIEW = "Morocco"
MODEL_NAME = "usem3"


@dataclass(frozen=True)
class DemoInstitution:
    code: str
    kind: str
    names: dict[str, str]
    acronym: str = ""
    parent: str = ""


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    institution: str
    preferred_language: str
    is_superuser: bool = False

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        return f"{self.username}@example.org"


@dataclass(frozen=True)
class DemoMechanism:
    code: str
    kind: str
    names: dict[str, str]


@dataclass(frozen=True)
class DemoAssignment:
    institution: str
    role: str
    due_date: date


@dataclass(frozen=True)
class DemoRecommendation:
    """A recommendation, its tags ("vocabulary:term") and its assignments."""

    paragraph: str
    texts: dict[str, str]
    status: str = ImplementationStatus.NOT_STARTED
    recommending_state: str = ""
    position: str = ""
    tags: tuple[str, ...] = ()
    #: Tags a model proposed and nobody confirmed yet: ("vocabulary:term", confidence).
    suggested_tags: tuple[tuple[str, float], ...] = ()
    assignments: tuple[DemoAssignment, ...] = ()


@dataclass(frozen=True)
class DemoDocument:
    symbol: str
    mechanism: str
    title: str
    date: date
    cycle: str
    recommendations: list[DemoRecommendation] = field(default_factory=list)


INSTITUTIONS = [
    DemoInstitution(
        code="nhri",
        kind=InstitutionKind.NHRI,
        acronym="CNDH",
        names={
            "en": "National Human Rights Council",
            "fr": "Conseil national des droits de l'Homme",
            "ar": "المجلس الوطني لحقوق الإنسان",
        },
    ),
    DemoInstitution(
        code="police",
        kind=InstitutionKind.LAW_ENFORCEMENT,
        acronym="DGPN",
        names={
            "en": "National Police Directorate",
            "fr": "Direction générale de la police nationale",
            "ar": "المديرية العامة للشرطة الوطنية",
        },
    ),
    DemoInstitution(
        code="border-police",
        kind=InstitutionKind.BORDER,
        parent="police",
        names={
            "en": "Border Police Division",
            "fr": "Division de la police des frontières",
            "ar": "قسم شرطة الحدود",
        },
    ),
    DemoInstitution(
        code="interior",
        kind=InstitutionKind.MINISTRY,
        names={
            "en": "Ministry of the Interior",
            "fr": "Ministère de l'Intérieur",
            "ar": "وزارة الداخلية",
        },
    ),
    DemoInstitution(
        code="ohchr",
        kind=InstitutionKind.UN_AGENCY,
        acronym="OHCHR",
        names={
            "en": "Office of the United Nations High Commissioner for Human Rights",
            "fr": "Haut-Commissariat des Nations Unies aux droits de l'homme",
            "ar": "مفوضية الأمم المتحدة السامية لحقوق الإنسان",
        },
    ),
    DemoInstitution(
        code="iom",
        kind=InstitutionKind.UN_AGENCY,
        acronym="IOM",
        names={
            "en": "International Organization for Migration",
            "fr": "Organisation internationale pour les migrations",
            "ar": "المنظمة الدولية للهجرة",
        },
    ),
]

USERS = [
    DemoUser("admin", "Salma", "Idrissi", Role.ADMIN, "nhri", "en", is_superuser=True),
    DemoUser("coordinator", "Youssef", "El Amrani", Role.COORDINATOR, "nhri", "fr"),
    DemoUser("focal.police", "Karim", "Bennani", Role.FOCAL_POINT, "police", "ar"),
    DemoUser("trainer", "Nadia", "Chraibi", Role.TRAINER, "police", "ar"),
    DemoUser("committee", "Hassan", "Tazi", Role.COMMITTEE_MEMBER, "nhri", "fr"),
    DemoUser("committee.police", "Rachid", "Alaoui", Role.COMMITTEE_MEMBER, "police", "ar"),
    DemoUser("viewer", "Leila", "Ouazzani", Role.VIEWER, "interior", "en"),
]
#: The user the demo's registry work is attributed to in the audit trail.
COORDINATOR = "coordinator"

MECHANISMS = [
    DemoMechanism(
        "UPR",
        MechanismKind.UPR,
        {
            "en": "Universal Periodic Review",
            "fr": "Examen périodique universel",
            "ar": "الاستعراض الدوري الشامل",
        },
    ),
    DemoMechanism(
        "CMW",
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee on Migrant Workers",
            "fr": "Comité des travailleurs migrants",
            "ar": "اللجنة المعنية بالعمال المهاجرين",
        },
    ),
    DemoMechanism(
        "CAT",
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee against Torture",
            "fr": "Comité contre la torture",
            "ar": "لجنة مناهضة التعذيب",
        },
    ),
    DemoMechanism(
        "CERD",
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee on the Elimination of Racial Discrimination",
            "fr": "Comité pour l'élimination de la discrimination raciale",
            "ar": "لجنة القضاء على التمييز العنصري",
        },
    ),
    DemoMechanism(
        "CRC",
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee on the Rights of the Child",
            "fr": "Comité des droits de l'enfant",
            "ar": "لجنة حقوق الطفل",
        },
    ),
    DemoMechanism(
        "SR-MIGRANTS",
        MechanismKind.SPECIAL_PROCEDURE,
        {
            "en": "Special Rapporteur on the human rights of migrants",
            "fr": "Rapporteur spécial sur les droits de l'homme des migrants",
            "ar": "المقرر الخاص المعني بحقوق الإنسان للمهاجرين",
        },
    ),
]

DUE_MID_2027 = date(2027, 6, 30)
DUE_END_2027 = date(2027, 12, 31)


def lead(institution: str, due_date: date = DUE_END_2027) -> DemoAssignment:
    return DemoAssignment(institution, "lead", due_date)


def contributing(institution: str, due_date: date = DUE_END_2027) -> DemoAssignment:
    return DemoAssignment(institution, "contributing", due_date)


Status = ImplementationStatus

CMW_SYMBOL = "CMW/C/MAR/CO/2"
#: The recommendation the demo's training story starts from.
TRAINING_PARAGRAPH = "27(b)"

CMW_DOCUMENT = DemoDocument(
    symbol=CMW_SYMBOL,
    mechanism="CMW",
    title=(
        "Concluding observations on the second periodic report of Morocco "
        "(demonstration: text written for Mizan, not the Committee's)"
    ),
    date=date(2025, 4, 11),
    cycle="40th session",
    recommendations=[
        DemoRecommendation(
            "13",
            {
                "en": "Make the declarations under articles 76 and 77 of the Convention, so "
                "that the Committee can receive communications from other States and from "
                "individuals.",
                "fr": "Faire les déclarations prévues aux articles 76 et 77 de la Convention, "
                "afin que le Comité puisse recevoir des communications émanant d'autres États "
                "et de particuliers.",
            },
            tags=("uhri-themes:A12", "uhri-themes:A22"),
        ),
        DemoRecommendation(
            "15",
            {
                "en": "Build a national information system on migration that records data "
                "broken down by sex, age, nationality and migration status, including on "
                "migrants in an irregular situation, and use it to design and evaluate "
                "migration policies.",
                "fr": "Mettre en place un système national d'information sur les migrations "
                "qui recueille des données ventilées par sexe, âge, nationalité et statut "
                "migratoire, y compris sur les migrants en situation irrégulière, et s'en "
                "servir pour concevoir et évaluer les politiques migratoires.",
            },
            status=Status.IN_PROGRESS,
            tags=("uhri-themes:A62", "gcm:1", "sdg:17.18"),
            assignments=(lead("interior"), contributing("iom")),
        ),
        DemoRecommendation(
            "17",
            {
                "en": "Give the National Human Rights Council the resources and the "
                "unrestricted access it needs to monitor every place where migrants are held, "
                "including border posts, waiting zones in ports and airports, and transit "
                "facilities.",
                "fr": "Doter le Conseil national des droits de l'Homme des ressources et de "
                "l'accès sans restriction dont il a besoin pour surveiller tous les lieux où "
                "des migrants sont retenus, y compris les postes frontière, les zones "
                "d'attente des ports et des aéroports et les installations de transit.",
                "ar": "تزويد المجلس الوطني لحقوق الإنسان بالموارد اللازمة وتمكينه من الولوج "
                "دون قيود إلى جميع الأماكن التي يوجد فيها مهاجرون محتجزون قصد مراقبتها، بما في "
                "ذلك المراكز الحدودية ومناطق الانتظار في الموانئ والمطارات ومرافق العبور.",
            },
            status=Status.PARTIALLY_IMPLEMENTED,
            tags=(
                "uhri-themes:A45",
                "uhri-themes:D26",
                "affected-persons:persons-deprived-of-their-liberty",
                "gcm:13",
            ),
            assignments=(lead("nhri", DUE_MID_2027), contributing("interior", DUE_MID_2027)),
        ),
        DemoRecommendation(
            "21",
            {
                "en": "Adopt comprehensive anti-discrimination legislation that expressly "
                "protects migrant workers and their families, and investigate and punish hate "
                "speech and racist attacks against migrants, in particular those from "
                "sub-Saharan Africa.",
                "fr": "Adopter une législation complète contre la discrimination qui protège "
                "expressément les travailleurs migrants et les membres de leur famille, et "
                "enquêter sur les discours de haine et les agressions racistes visant des "
                "migrants, en particulier ceux d'Afrique subsaharienne, et les sanctionner.",
                "ar": "اعتماد تشريع شامل لمناهضة التمييز يحمي صراحةً العمال المهاجرين وأفراد "
                "أسرهم، والتحقيق في خطاب الكراهية والاعتداءات العنصرية التي تستهدف المهاجرين، "
                "ولا سيما القادمين من أفريقيا جنوب الصحراء، ومعاقبة مرتكبيها.",
            },
            tags=(
                "uhri-themes:B31",
                "uhri-themes:B32",
                "affected-persons:migrants",
                "gcm:17",
            ),
        ),
        DemoRecommendation(
            "23(a)",
            {
                "en": "Ensure that migrant workers, whatever their status, can complain to "
                "labour inspectors and to the courts about abuse at work without being "
                "reported to the immigration authorities.",
                "fr": "Veiller à ce que les travailleurs migrants, quel que soit leur statut, "
                "puissent saisir l'inspection du travail et les tribunaux en cas d'abus au "
                "travail sans être signalés aux autorités chargées de l'immigration.",
                "ar": "ضمان تمكين العمال المهاجرين، أياً كان وضعهم، من تقديم شكاوى إلى مفتشية "
                "الشغل والمحاكم بشأن الانتهاكات التي يتعرضون لها في العمل، دون أن يُبلَّغ عنهم "
                "لدى السلطات المكلفة بالهجرة.",
            },
            tags=(
                "uhri-themes:B51",
                "uhri-themes:E32",
                "affected-persons:migrants",
                "sdg:8.8",
            ),
        ),
        DemoRecommendation(
            "23(b)",
            {
                "en": "Provide migrants with a free interpreter and legal aid in administrative "
                "and judicial proceedings, including proceedings that may lead to their "
                "removal.",
                "fr": "Assurer aux migrants l'assistance gratuite d'un interprète et l'aide "
                "juridictionnelle dans les procédures administratives et judiciaires, y "
                "compris celles qui peuvent aboutir à leur éloignement.",
            },
            status=Status.IN_PROGRESS,
            tags=("uhri-themes:D51", "affected-persons:migrants", "sdg:16.3"),
        ),
        DemoRecommendation(
            "27(a)",
            {
                "en": "Investigate promptly, thoroughly and impartially every allegation of "
                "excessive use of force by law-enforcement officials against migrants, "
                "particularly near the northern border, and make the findings public.",
                "fr": "Enquêter rapidement, de manière approfondie et impartiale sur toute "
                "allégation d'usage excessif de la force par des agents des forces de l'ordre "
                "contre des migrants, en particulier à proximité de la frontière nord, et "
                "rendre publiques les conclusions de ces enquêtes.",
            },
            tags=(
                "uhri-themes:D25",
                "uhri-themes:B52",
                "affected-persons:law-enforcement-police-officials",
                "gcm:8",
            ),
        ),
        DemoRecommendation(
            TRAINING_PARAGRAPH,
            {
                "en": "Provide regular and compulsory training for police officers, border "
                "guards and other law-enforcement officials on the Convention and on the "
                "human rights of migrants, covering non-discrimination, the prohibition of "
                "racial profiling and the identification of persons in vulnerable situations, "
                "and develop this training together with the National Human Rights Council.",
                "fr": "Dispenser une formation régulière et obligatoire aux policiers, aux "
                "gardes-frontières et aux autres agents des forces de l'ordre sur la "
                "Convention et sur les droits de l'homme des migrants, portant notamment sur "
                "la non-discrimination, l'interdiction du profilage racial et l'identification "
                "des personnes en situation de vulnérabilité, et concevoir cette formation "
                "conjointement avec le Conseil national des droits de l'Homme.",
                "ar": "توفير تكوين منتظم وإلزامي لفائدة ضباط الشرطة وحرس الحدود وسائر الموظفين "
                "المكلفين بإنفاذ القانون حول الاتفاقية وحقوق الإنسان للمهاجرين، يشمل عدم "
                "التمييز وحظر التنميط العنصري وتحديد الأشخاص الذين يوجدون في وضعية هشاشة، "
                "وإعداد هذا التكوين بتعاون مع المجلس الوطني لحقوق الإنسان.",
            },
            status=Status.IN_PROGRESS,
            tags=(
                "uhri-themes:A53",
                "affected-persons:law-enforcement-police-officials",
                "affected-persons:migrants",
                "gcm:11",
            ),
            suggested_tags=(("gcm:17", 0.74),),
            assignments=(
                lead("police", DUE_MID_2027),
                contributing("border-police", DUE_MID_2027),
                contributing("nhri", DUE_MID_2027),
            ),
        ),
        DemoRecommendation(
            "29",
            {
                "en": "Stop arresting migrants because of their appearance and moving them by "
                "force from northern cities to the south of the country, and make sure that "
                "every removal decision is taken individually, gives its reasons and can be "
                "appealed with suspensive effect.",
                "fr": "Mettre fin aux interpellations de migrants fondées sur leur apparence et "
                "à leur transfert forcé des villes du nord vers le sud du pays, et veiller à "
                "ce que toute décision d'éloignement soit individuelle, motivée et "
                "susceptible d'un recours suspensif.",
                "ar": "الكف عن توقيف المهاجرين بناءً على مظهرهم وعن نقلهم قسراً من مدن الشمال "
                "نحو جنوب البلاد، وضمان أن يكون كل قرار بالإبعاد فردياً ومعلَّلاً وقابلاً للطعن "
                "بأثر موقف.",
            },
            tags=(
                "uhri-themes:D33",
                "uhri-themes:D41",
                "affected-persons:migrants",
                "gcm:21",
            ),
            assignments=(lead("interior", date(2027, 3, 31)),),
        ),
        DemoRecommendation(
            "31",
            {
                "en": "Detain migrants only as a last resort and for the shortest possible "
                "time, develop alternatives to detention, especially for families, and never "
                "deprive a child of liberty because of his or her own or the parents' "
                "migration status.",
                "fr": "Ne placer des migrants en rétention qu'en dernier recours et pour la "
                "durée la plus brève possible, développer des solutions de substitution à la "
                "rétention, en particulier pour les familles, et ne jamais priver un enfant de "
                "liberté en raison de son statut migratoire ou de celui de ses parents.",
                "ar": "عدم اللجوء إلى احتجاز المهاجرين إلا كملاذ أخير ولأقصر مدة ممكنة، وتطوير "
                "بدائل للاحتجاز، ولا سيما بالنسبة للأسر، وعدم حرمان أي طفل من حريته أبداً بسبب "
                "وضعه من حيث الهجرة أو وضع والديه.",
            },
            status=Status.PARTIALLY_IMPLEMENTED,
            tags=("uhri-themes:D26", "affected-persons:children", "gcm:13"),
            assignments=(
                lead("interior", date(2027, 9, 30)),
                contributing("nhri", date(2027, 9, 30)),
            ),
        ),
        DemoRecommendation(
            "33",
            {
                "en": "Improve the identification of victims of trafficking among migrants at "
                "the borders and in places of detention, refer them without delay to "
                "protection and support services, and train police officers, labour "
                "inspectors and judges to recognise the signs of trafficking.",
                "fr": "Améliorer l'identification des victimes de la traite parmi les migrants "
                "aux frontières et dans les lieux de rétention, les orienter sans délai vers "
                "des services de protection et d'assistance, et former les policiers, les "
                "inspecteurs du travail et les juges à reconnaître les signes de la traite.",
                "ar": "تحسين تحديد ضحايا الاتجار بالبشر من بين المهاجرين على الحدود وفي أماكن "
                "الاحتجاز، وإحالتهم دون تأخير إلى خدمات الحماية والمساعدة، وتكوين أفراد الشرطة "
                "ومفتشي الشغل والقضاة على رصد مؤشرات الاتجار بالبشر.",
            },
            status=Status.IN_PROGRESS,
            tags=("uhri-themes:D27", "gcm:10", "sdg:16.2", "sdg:5.2"),
            assignments=(lead("police"), contributing("iom")),
        ),
        DemoRecommendation(
            "35",
            {
                "en": "Apply the law on domestic workers to migrant women employed in private "
                "homes, including through labour inspections, and ensure that employers do "
                "not keep their passports or identity papers.",
                "fr": "Appliquer la loi relative aux travailleurs domestiques aux travailleuses "
                "migrantes employées chez des particuliers, y compris au moyen d'inspections "
                "du travail, et veiller à ce que les employeurs ne confisquent ni leur "
                "passeport ni leurs pièces d'identité.",
            },
            tags=("uhri-themes:E32", "affected-persons:women", "sdg:8.8"),
        ),
        DemoRecommendation(
            "37",
            {
                "en": "Register at birth every child born in the country to migrant workers, "
                "and let these children enrol in public schools and receive health care "
                "whatever their parents' status.",
                "fr": "Enregistrer à la naissance tous les enfants nés dans le pays de "
                "travailleurs migrants, et leur permettre de s'inscrire dans les écoles "
                "publiques et de recevoir des soins de santé, quel que soit le statut de "
                "leurs parents.",
                "ar": "تسجيل جميع الأطفال المولودين في البلد لعمال مهاجرين عند ولادتهم، "
                "وتمكينهم من التسجيل في المدارس العمومية والاستفادة من الرعاية الصحية، بصرف "
                "النظر عن وضع والديهم.",
            },
            status=Status.PARTIALLY_IMPLEMENTED,
            tags=("uhri-themes:D6", "affected-persons:children", "sdg:16.9", "gcm:15"),
        ),
        DemoRecommendation(
            "39",
            {
                "en": "Set up, with the families and the consular services concerned, a "
                "procedure to search for missing migrants and to identify migrants who died on "
                "the way, and return their remains to their families with dignity.",
                "fr": "Mettre en place, avec les familles et les services consulaires "
                "concernés, une procédure de recherche des migrants disparus et "
                "d'identification des migrants décédés en chemin, et restituer leur dépouille "
                "à leur famille dans la dignité.",
            },
            tags=("uhri-themes:D21", "affected-persons:disappeared-persons", "gcm:8"),
            suggested_tags=(("sdg:10.7", 0.63),),
        ),
        DemoRecommendation(
            "41",
            {
                "en": "Continue the regularisation campaigns, make residence permits easier to "
                "renew, and open the integration programmes of the national strategy on "
                "immigration and asylum to all migrants.",
                "fr": "Poursuivre les campagnes de régularisation, simplifier le renouvellement "
                "des titres de séjour et ouvrir à tous les migrants les programmes "
                "d'intégration de la stratégie nationale d'immigration et d'asile.",
            },
            status=Status.IN_PROGRESS,
            tags=("uhri-themes:G4", "gcm:7", "sdg:10.7"),
            assignments=(lead("interior"), contributing("iom")),
        ),
        DemoRecommendation(
            "43",
            {
                "en": "Circulate these concluding observations in Arabic, Amazigh and French "
                "to ministries, Parliament, the courts, the National Human Rights Council and "
                "civil society organisations, and involve civil society in preparing the next "
                "periodic report.",
                "fr": "Diffuser les présentes observations finales en arabe, en amazighe et en "
                "français auprès des ministères, du Parlement, des juridictions, du Conseil "
                "national des droits de l'Homme et des organisations de la société civile, et "
                "associer la société civile à l'élaboration du prochain rapport périodique.",
            },
            status=Status.IMPLEMENTED,
            tags=("uhri-themes:A23", "uhri-themes:A61"),
            assignments=(lead("nhri", date(2027, 1, 31)),),
        ),
    ],
)


def upr(
    number: int,
    state: str,
    position: str,
    texts: dict[str, str],
    **extra: Any,
) -> DemoRecommendation:
    """A UPR recommendation: paragraph 148.<number>, made by ``state``."""
    return DemoRecommendation(
        f"148.{number}",
        texts,
        recommending_state=state,
        position=position,
        **extra,
    )


SUPPORTED = Position.SUPPORTED
NOTED = Position.NOTED

UPR_DOCUMENT = DemoDocument(
    symbol="A/HRC/52/XX",
    mechanism="UPR",
    title=(
        "Report of the Working Group on the Universal Periodic Review: Morocco "
        "(demonstration: text written for Mizan, not the Working Group's)"
    ),
    date=date(2023, 1, 6),
    cycle="4",
    recommendations=[
        upr(
            1,
            "Portugal",
            NOTED,
            {
                "en": "Abolish the death penalty in law and, until then, keep the moratorium "
                "on executions and commute all death sentences.",
                "fr": "Abolir la peine de mort en droit et, dans l'attente, maintenir le "
                "moratoire sur les exécutions et commuer toutes les condamnations à mort.",
            },
            status=Status.NOT_IMPLEMENTED,
            tags=("uhri-themes:D23",),
        ),
        upr(
            2,
            "Uruguay",
            NOTED,
            {
                "en": "Recognise the competence of the Committee on Migrant Workers to "
                "consider complaints from individuals.",
            },
            tags=("uhri-themes:A12", "uhri-themes:A22"),
        ),
        upr(
            3,
            "Tunisia",
            SUPPORTED,
            {
                "en": "Keep strengthening the National Human Rights Council, including its "
                "national mechanism for the prevention of torture, by giving it enough staff "
                "and funds.",
                "fr": "Continuer de renforcer le Conseil national des droits de l'Homme, y "
                "compris son mécanisme national de prévention de la torture, en le dotant de "
                "personnel et de moyens financiers suffisants.",
                "ar": "مواصلة تعزيز المجلس الوطني لحقوق الإنسان، بما في ذلك آليته الوطنية "
                "للوقاية من التعذيب، بتزويده بما يكفي من الموارد البشرية والمالية.",
            },
            status=Status.PARTIALLY_IMPLEMENTED,
            tags=("uhri-themes:A45", "uhri-themes:D25", "sdg:16.a"),
            assignments=(lead("nhri"),),
        ),
        upr(
            4,
            "Senegal",
            SUPPORTED,
            {
                "en": "Pursue the national strategy on immigration and asylum, paying special "
                "attention to the social and economic integration of migrants from "
                "sub-Saharan Africa.",
                "fr": "Poursuivre la mise en œuvre de la stratégie nationale d'immigration et "
                "d'asile, en accordant une attention particulière à l'intégration sociale et "
                "économique des migrants originaires d'Afrique subsaharienne.",
            },
            status=Status.IN_PROGRESS,
            tags=("uhri-themes:G4", "gcm:16", "sdg:10.7"),
        ),
        upr(
            5,
            "Canada",
            SUPPORTED,
            {
                "en": "Train police and border officials on the rights of migrants and "
                "refugees, including the principle of non-refoulement and the prohibition of "
                "collective expulsion.",
                "fr": "Former les policiers et les agents des frontières aux droits des "
                "migrants et des réfugiés, notamment au principe de non-refoulement et à "
                "l'interdiction des expulsions collectives.",
                "ar": "تكوين أفراد الشرطة وموظفي الحدود في مجال حقوق المهاجرين واللاجئين، بما "
                "في ذلك مبدأ عدم الإعادة القسرية وحظر الطرد الجماعي.",
            },
            status=Status.IN_PROGRESS,
            tags=(
                "uhri-themes:A53",
                "affected-persons:law-enforcement-police-officials",
                "gcm:11",
            ),
            suggested_tags=(("affected-persons:refugees-asylum-seekers", 0.81),),
            assignments=(lead("border-police", DUE_MID_2027),),
        ),
        upr(
            6,
            "Germany",
            SUPPORTED,
            {
                "en": "Adopt the draft law on asylum and set up a fair and efficient procedure "
                "for determining refugee status that meets international standards.",
                "fr": "Adopter le projet de loi sur l'asile et instituer une procédure "
                "équitable et efficace de détermination du statut de réfugié conforme aux "
                "normes internationales.",
            },
            tags=("uhri-themes:G5", "affected-persons:refugees-asylum-seekers", "gcm:12"),
            assignments=(lead("interior"),),
        ),
        upr(
            7,
            "Mexico",
            SUPPORTED,
            {
                "en": "Make sure that migrants in an irregular situation can obtain emergency "
                "and primary health care and that their children can go to school.",
                "fr": "Veiller à ce que les migrants en situation irrégulière aient accès aux "
                "soins de santé d'urgence et aux soins primaires, et à ce que leurs enfants "
                "puissent être scolarisés.",
            },
            status=Status.PARTIALLY_IMPLEMENTED,
            tags=("uhri-themes:E41", "uhri-themes:E51", "affected-persons:migrants", "gcm:15"),
        ),
        upr(
            8,
            "Philippines",
            SUPPORTED,
            {
                "en": "Better protect migrant domestic workers, most of whom are women, from "
                "exploitation and abuse, including by extending labour inspection to private "
                "households.",
                "fr": "Mieux protéger les travailleurs domestiques migrants, majoritairement "
                "des femmes, contre l'exploitation et les abus, notamment en étendant "
                "l'inspection du travail aux domiciles privés.",
            },
            tags=("uhri-themes:E32", "affected-persons:women", "sdg:8.8", "gcm:6"),
        ),
        upr(
            9,
            "Italy",
            SUPPORTED,
            {
                "en": "Step up action against trafficking and smuggling networks, and ensure "
                "that victims are protected and not punished for offences they were forced to "
                "commit.",
                "fr": "Intensifier la lutte contre les réseaux de traite des personnes et de "
                "trafic de migrants, et veiller à ce que les victimes soient protégées et ne "
                "soient pas sanctionnées pour des infractions qu'elles ont été contraintes de "
                "commettre.",
            },
            status=Status.IN_PROGRESS,
            tags=("uhri-themes:D27", "gcm:9", "gcm:10", "sdg:16.2"),
            assignments=(lead("police"),),
        ),
        upr(
            10,
            "Brazil",
            SUPPORTED,
            {
                "en": "Adopt a comprehensive law against racial discrimination that defines "
                "both direct and indirect discrimination.",
                "fr": "Adopter une loi globale contre la discrimination raciale qui définisse "
                "la discrimination directe et indirecte.",
            },
            tags=("uhri-themes:B32", "affected-persons:minorities", "sdg:10.3"),
        ),
        upr(
            11,
            "Ghana",
            NOTED,
            {
                "en": "Investigate reports of violence against migrants near the northern "
                "border, bring those responsible to justice and provide reparation to the "
                "victims.",
                "fr": "Enquêter sur les signalements de violences commises contre des "
                "migrants près de la frontière nord, traduire les responsables en justice et "
                "accorder réparation aux victimes.",
            },
            tags=("uhri-themes:D25", "uhri-themes:B51", "gcm:8", "sdg:16.3"),
        ),
        upr(
            12,
            "Norway",
            SUPPORTED,
            {
                "en": "Ensure that human rights defenders, including those working on "
                "migrants' rights, can do their work without harassment or reprisals.",
            },
            status=Status.IN_PROGRESS,
            tags=("uhri-themes:H1", "affected-persons:human-rights-defenders"),
        ),
        upr(
            13,
            "Japan",
            SUPPORTED,
            {
                "en": "Continue efforts to register the births of all children born in the "
                "country, including children of migrant parents.",
                "fr": "Poursuivre les efforts visant à enregistrer la naissance de tous les "
                "enfants nés dans le pays, y compris ceux de parents migrants.",
            },
            status=Status.IMPLEMENTED,
            tags=("uhri-themes:D6", "affected-persons:children", "sdg:16.9"),
        ),
        upr(
            14,
            "Spain",
            SUPPORTED,
            {
                "en": "Deepen cooperation with countries of origin and transit on the safe, "
                "dignified and voluntary return of migrants and on their lasting "
                "reintegration.",
                "fr": "Approfondir la coopération avec les pays d'origine et de transit en "
                "matière de retour sûr, digne et volontaire des migrants et de réintégration "
                "durable.",
            },
            status=Status.IN_PROGRESS,
            tags=("uhri-themes:A3", "gcm:21", "gcm:23"),
            assignments=(lead("interior"), contributing("iom")),
        ),
        upr(
            15,
            "Switzerland",
            NOTED,
            {
                "en": "End the administrative detention of migrant children and develop "
                "alternatives based in the community.",
                "fr": "Mettre fin à la rétention administrative des enfants migrants et "
                "développer des solutions de substitution fondées sur la prise en charge de "
                "proximité.",
            },
            tags=("uhri-themes:F31", "affected-persons:children", "gcm:13"),
        ),
        upr(
            16,
            "Indonesia",
            SUPPORTED,
            {
                "en": "Keep combating violence against women, including by applying Law "
                "No. 103-13 in full and by making shelters and support services available "
                "throughout the country.",
                "fr": "Continuer de lutter contre la violence à l'égard des femmes, notamment "
                "en appliquant pleinement la loi no 103-13 et en mettant des centres d'accueil "
                "et des services d'accompagnement à disposition dans tout le pays.",
                "ar": "مواصلة مكافحة العنف ضد النساء، بما في ذلك من خلال التطبيق الكامل للقانون "
                "رقم 103.13 وتوفير مراكز الإيواء وخدمات الدعم في جميع أنحاء البلاد.",
            },
            status=Status.IN_PROGRESS,
            tags=("uhri-themes:F13", "affected-persons:women", "sdg:5.2"),
        ),
        upr(
            17,
            "Sierra Leone",
            SUPPORTED,
            {
                "en": "Give law-enforcement officials, judges and prison staff systematic "
                "human rights training that focuses on the absolute prohibition of torture.",
                "fr": "Dispenser aux agents des forces de l'ordre, aux juges et au personnel "
                "pénitentiaire une formation systématique aux droits de l'homme axée sur "
                "l'interdiction absolue de la torture.",
            },
            status=Status.IN_PROGRESS,
            tags=(
                "uhri-themes:A53",
                "uhri-themes:D25",
                "affected-persons:law-enforcement-police-officials",
                "affected-persons:prison-officials",
            ),
            assignments=(lead("police", DUE_MID_2027), contributing("nhri", DUE_MID_2027)),
        ),
        upr(
            18,
            "France",
            NOTED,
            {
                "en": "Prosecute journalists for what they publish under the Press and "
                "Publications Code rather than under the Criminal Code.",
            },
            tags=("uhri-themes:D43", "affected-persons:media"),
        ),
        upr(
            19,
            "Côte d'Ivoire",
            SUPPORTED,
            {
                "en": "Involve civil society organisations more closely in the follow-up to "
                "the recommendations of the Universal Periodic Review.",
                "fr": "Associer plus étroitement les organisations de la société civile au "
                "suivi des recommandations de l'Examen périodique universel.",
            },
            status=Status.IMPLEMENTED,
            tags=("uhri-themes:A27", "uhri-themes:A61"),
        ),
        upr(
            20,
            "Sweden",
            SUPPORTED,
            {
                "en": "Set up a national mechanism for implementation, reporting and follow-up "
                "that brings together ministries, the National Human Rights Council and civil "
                "society to track progress on all recommendations.",
                "fr": "Mettre en place un mécanisme national de mise en œuvre, d'établissement "
                "de rapports et de suivi réunissant les ministères, le Conseil national des "
                "droits de l'Homme et la société civile afin de suivre les progrès accomplis "
                "pour l'ensemble des recommandations.",
                "ar": "إنشاء آلية وطنية للتنفيذ وإعداد التقارير والمتابعة تجمع القطاعات "
                "الحكومية والمجلس الوطني لحقوق الإنسان والمجتمع المدني لتتبع التقدم المحرز في "
                "تنفيذ جميع التوصيات.",
            },
            status=Status.PARTIALLY_IMPLEMENTED,
            tags=("uhri-themes:A23", "uhri-themes:A27", "sdg:16.6"),
            assignments=(
                lead("interior", date(2027, 3, 31)),
                contributing("nhri", date(2027, 3, 31)),
            ),
        ),
    ],
)

DOCUMENTS = [CMW_DOCUMENT, UPR_DOCUMENT]
