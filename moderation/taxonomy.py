"""Enumerations of moderation decisions.

The DSA keys are those of the EU DSA Transparency Database's statement-of-reasons schema
(version 2, 2025) without their repeated prefix: `CONTENT_REMOVED` is the database's
`DECISION_VISIBILITY_CONTENT_REMOVED`, `RISK_FOR_PUBLIC_SECURITY` its
`STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY`, `TERRORIST_CONTENT` its `KEYWORD_TERRORIST_CONTENT`.
Source types keep their full keys, as the database spells them.
"""

from django.db import models


class TargetType(models.TextChoices):
    VIDEO = "video", "video"
    COMMENT = "comment", "comment"
    ACCOUNT = "account", "account"


class DecisionVisibility(models.TextChoices):
    CONTENT_REMOVED = "CONTENT_REMOVED"
    CONTENT_DISABLED = "CONTENT_DISABLED"
    CONTENT_DEMOTED = "CONTENT_DEMOTED"
    CONTENT_AGE_RESTRICTED = "CONTENT_AGE_RESTRICTED"
    CONTENT_INTERACTION_RESTRICTED = "CONTENT_INTERACTION_RESTRICTED"
    CONTENT_LABELLED = "CONTENT_LABELLED"
    OTHER = "OTHER"


class DecisionAccount(models.TextChoices):
    SUSPENDED = "SUSPENDED"
    TERMINATED = "TERMINATED"


class DecisionGround(models.TextChoices):
    ILLEGAL_CONTENT = "ILLEGAL_CONTENT"
    INCOMPATIBLE_CONTENT = "INCOMPATIBLE_CONTENT"


class Category(models.TextChoices):
    ANIMAL_WELFARE = "ANIMAL_WELFARE"
    CONSUMER_INFORMATION = "CONSUMER_INFORMATION"
    CYBER_VIOLENCE = "CYBER_VIOLENCE"
    CYBER_VIOLENCE_AGAINST_WOMEN = "CYBER_VIOLENCE_AGAINST_WOMEN"
    DATA_PROTECTION_AND_PRIVACY_VIOLATIONS = "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS"
    ILLEGAL_OR_HARMFUL_SPEECH = "ILLEGAL_OR_HARMFUL_SPEECH"
    INTELLECTUAL_PROPERTY_INFRINGEMENTS = "INTELLECTUAL_PROPERTY_INFRINGEMENTS"
    NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS = (
        "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"
    )
    NOT_SPECIFIED_NOTICE = "NOT_SPECIFIED_NOTICE"
    OTHER_VIOLATION_TC = "OTHER_VIOLATION_TC"
    PROTECTION_OF_MINORS = "PROTECTION_OF_MINORS"
    RISK_FOR_PUBLIC_SECURITY = "RISK_FOR_PUBLIC_SECURITY"
    SCAMS_AND_FRAUD = "SCAMS_AND_FRAUD"
    SELF_HARM = "SELF_HARM"
    UNSAFE_AND_PROHIBITED_PRODUCTS = "UNSAFE_AND_PROHIBITED_PRODUCTS"
    VIOLENCE = "VIOLENCE"


# The DSA keywords that specify a category, by category.
MAX_CATEGORY_KEYWORDS = 10  # on one decision

CATEGORY_KEYWORDS: dict[str, tuple[str, ...]] = {
    Category.ANIMAL_WELFARE: ("ANIMAL_HARM", "UNLAWFUL_SALE_ANIMALS"),
    Category.CONSUMER_INFORMATION: (
        "HIDDEN_ADVERTISEMENT",
        "INSUFFICIENT_INFORMATION_ON_TRADERS",
        "MISLEADING_INFO_CONSUMER_RIGHTS",
        "MISLEADING_INFO_GOODS_SERVICES",
        "NONCOMPLIANCE_PRICING",
    ),
    Category.CYBER_VIOLENCE: (
        "CYBER_BULLYING_INTIMIDATION",
        "CYBER_HARASSMENT",
        "CYBER_INCITEMENT",
        "CYBER_STALKING",
        "NON_CONSENSUAL_IMAGE_SHARING",
        "NON_CONSENSUAL_MATERIAL_DEEPFAKE",
    ),
    Category.CYBER_VIOLENCE_AGAINST_WOMEN: (
        "BULLYING_AGAINST_GIRLS",
        "CYBER_HARASSMENT_AGAINST_WOMEN",
        "CYBER_STALKING_AGAINST_WOMEN",
        "FEMALE_GENDERED_DISINFORMATION",
        "INCITEMENT_AGAINST_WOMEN",
        "NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN",
        "NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN",
    ),
    Category.DATA_PROTECTION_AND_PRIVACY_VIOLATIONS: (
        "BIOMETRIC_DATA_BREACH",
        "MISSING_PROCESSING_GROUND",
        "RIGHT_TO_BE_FORGOTTEN",
        "DATA_FALSIFICATION",
    ),
    Category.ILLEGAL_OR_HARMFUL_SPEECH: ("DEFAMATION", "DISCRIMINATION", "HATE_SPEECH"),
    Category.INTELLECTUAL_PROPERTY_INFRINGEMENTS: (
        "COPYRIGHT_INFRINGEMENT",
        "DESIGN_INFRINGEMENT",
        "GEOGRAPHIC_INDICATIONS_INFRINGEMENT",
        "PATENT_INFRINGEMENT",
        "TRADE_SECRET_INFRINGEMENT",
        "TRADEMARK_INFRINGEMENT",
    ),
    Category.NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS: (
        "MISINFORMATION_DISINFORMATION",
        "VIOLATION_EU_LAW",
        "VIOLATION_NATIONAL_LAW",
    ),
    Category.NOT_SPECIFIED_NOTICE: (),
    Category.OTHER_VIOLATION_TC: (
        "ADULT_SEXUAL_MATERIAL",
        "AGE_SPECIFIC_RESTRICTIONS",
        "GEOGRAPHICAL_REQUIREMENTS",
        "GOODS_SERVICES_NOT_PERMITTED",
        "LANGUAGE_REQUIREMENTS",
        "NUDITY",
    ),
    Category.PROTECTION_OF_MINORS: (
        "AGE_SPECIFIC_RESTRICTIONS_MINORS",
        "CHILD_SEXUAL_ABUSE_MATERIAL",
        "CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE",
        "GROOMING_SEXUAL_ENTICEMENT_MINORS",
        "UNSAFE_CHALLENGES",
    ),
    Category.RISK_FOR_PUBLIC_SECURITY: (
        "ILLEGAL_ORGANIZATIONS",
        "RISK_ENVIRONMENTAL_DAMAGE",
        "RISK_PUBLIC_HEALTH",
        "TERRORIST_CONTENT",
    ),
    Category.SCAMS_AND_FRAUD: (
        "INAUTHENTIC_ACCOUNTS",
        "INAUTHENTIC_LISTINGS",
        "INAUTHENTIC_USER_REVIEWS",
        "IMPERSONATION_ACCOUNT_HIJACKING",
        "PHISHING",
        "PYRAMID_SCHEMES",
    ),
    Category.SELF_HARM: ("CONTENT_PROMOTING_EATING_DISORDERS", "SELF_MUTILATION", "SUICIDE"),
    Category.UNSAFE_AND_PROHIBITED_PRODUCTS: ("PROHIBITED_PRODUCTS", "UNSAFE_PRODUCTS"),
    Category.VIOLENCE: (
        "COORDINATED_HARM",
        "HUMAN_EXPLOITATION",
        "HUMAN_TRAFFICKING",
        "INCITEMENT_VIOLENCE_HATRED",
        "TRAFFICKING_WOMEN_GIRLS",
    ),
}
KEYWORDS: frozenset[str] = frozenset(
    {keyword for keywords in CATEGORY_KEYWORDS.values() for keyword in keywords} | {"OTHER"}
)


class SourceType(models.TextChoices):
    SOURCE_ARTICLE_16 = "SOURCE_ARTICLE_16", "notice under DSA Article 16"
    SOURCE_TRUSTED_FLAGGER = "SOURCE_TRUSTED_FLAGGER", "notice from a trusted flagger"
    SOURCE_TYPE_OTHER_NOTIFICATION = "SOURCE_TYPE_OTHER_NOTIFICATION", "other notification"
    SOURCE_VOLUNTARY = "SOURCE_VOLUNTARY", "the platform's own initiative"


class DetectionMethod(models.TextChoices):
    CLASSIFIER = "CLASSIFIER", "machine-learning classifier"
    HASH_MATCH = "HASH_MATCH", "hash match against a shared database of known content"
    USER_REPORT = "USER_REPORT", "user report"
    TRUSTED_FLAGGER = "TRUSTED_FLAGGER", "trusted flagger"
    AUTHORITY_ORDER = "AUTHORITY_ORDER", "order from a public authority"


AUTOMATED_DETECTION_METHODS = (DetectionMethod.CLASSIFIER, DetectionMethod.HASH_MATCH)


class AutomatedDecision(models.TextChoices):
    FULLY = "FULLY", "fully automated"
    PARTIALLY = "PARTIALLY", "partially automated"
    NOT_AUTOMATED = "NOT_AUTOMATED", "not automated"


class AppealOutcome(models.TextChoices):
    UPHELD = "UPHELD", "decision upheld"
    REVERSED = "REVERSED", "decision reversed"


# The platform's own policy taxonomy (modelled on a short-video platform's community
# guidelines): (code, name, DSA category, default DSA keyword, sub-policies as (code, name)).
DEFAULT_POLICIES: tuple[tuple[str, str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "violent_hateful_orgs",
        "Violent and hateful organizations and individuals",
        Category.RISK_FOR_PUBLIC_SECURITY,
        "TERRORIST_CONTENT",
        (
            ("violent_extremism", "Violent extremism"),
            ("hateful_organizations", "Hateful organizations"),
            ("criminal_organizations", "Criminal organizations"),
        ),
    ),
    (
        "hate_speech",
        "Hate speech and hateful behavior",
        Category.ILLEGAL_OR_HARMFUL_SPEECH,
        "HATE_SPEECH",
        (
            ("attacks_protected_groups", "Attacks on protected groups"),
            ("hateful_ideologies", "Promotion of hateful ideologies"),
            ("slurs", "Slurs"),
        ),
    ),
    (
        "violent_behavior",
        "Violent behaviors and criminal activities",
        Category.VIOLENCE,
        "INCITEMENT_VIOLENCE_HATRED",
        (
            ("threats_incitement", "Threats and incitement to violence"),
            ("criminal_activities", "Criminal activities"),
        ),
    ),
    (
        "harassment",
        "Harassment and bullying",
        Category.CYBER_VIOLENCE,
        "CYBER_HARASSMENT",
        (
            ("abusive_behavior", "Abusive behavior"),
            ("sexual_harassment", "Sexual harassment"),
            ("doxxing", "Threats of hacking, doxxing and blackmail"),
        ),
    ),
    (
        "youth_safety",
        "Youth exploitation and abuse",
        Category.PROTECTION_OF_MINORS,
        "AGE_SPECIFIC_RESTRICTIONS_MINORS",
        (
            ("minor_safety", "Youth safety and well-being"),
            ("dangerous_challenges", "Dangerous activities and challenges"),
        ),
    ),
    (
        "self_harm",
        "Suicide, self-harm and disordered eating",
        Category.SELF_HARM,
        "SUICIDE",
        (
            ("suicide_self_harm", "Suicide and self-harm"),
            ("disordered_eating", "Disordered eating"),
        ),
    ),
    (
        "sensitive_themes",
        "Sensitive and mature themes",
        Category.OTHER_VIOLATION_TC,
        "NUDITY",
        (
            ("nudity", "Nudity and body exposure"),
            ("graphic_content", "Shocking and graphic content"),
            ("animal_abuse", "Animal abuse"),
        ),
    ),
    (
        "integrity",
        "Integrity and authenticity",
        Category.NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS,
        "MISINFORMATION_DISINFORMATION",
        (
            ("misinformation", "Misinformation"),
            ("civic_integrity", "Civic and election integrity"),
            ("synthetic_media", "Edited media and AI-generated content"),
        ),
    ),
    (
        "spam_fake_engagement",
        "Spam and fake engagement",
        Category.SCAMS_AND_FRAUD,
        "INAUTHENTIC_ACCOUNTS",
        (("fake_engagement", "Fake engagement"), ("spam", "Spam and deceptive behavior")),
    ),
    (
        "scams",
        "Frauds and scams",
        Category.SCAMS_AND_FRAUD,
        "PHISHING",
        (("fraud", "Frauds and scams"), ("phishing", "Phishing")),
    ),
    (
        "regulated_goods",
        "Regulated goods and commercial activities",
        Category.UNSAFE_AND_PROHIBITED_PRODUCTS,
        "PROHIBITED_PRODUCTS",
        (
            ("drugs", "Alcohol, tobacco and drugs"),
            ("weapons", "Firearms and dangerous weapons"),
            ("gambling", "Gambling"),
        ),
    ),
    (
        "privacy",
        "Privacy and personal information",
        Category.DATA_PROTECTION_AND_PRIVACY_VIOLATIONS,
        "MISSING_PROCESSING_GROUND",
        (("personal_information", "Personal information"),),
    ),
    (
        "intellectual_property",
        "Intellectual property",
        Category.INTELLECTUAL_PROPERTY_INFRINGEMENTS,
        "COPYRIGHT_INFRINGEMENT",
        (("copyright", "Copyright"), ("trademark", "Trademark")),
    ),
)
