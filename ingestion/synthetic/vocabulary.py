"""Words, names and places the synthetic platform is written with."""

# (region, language, weight): where accounts are, roughly as on a global short-video platform.
REGIONS = (
    ("US", "en", 14),
    ("ID", "id", 9),
    ("BR", "pt", 8),
    ("MX", "es", 5),
    ("PK", "ur", 4),
    ("PH", "tl", 4),
    ("VN", "vi", 4),
    ("RU", "ru", 4),
    ("TR", "tr", 4),
    ("DE", "de", 4),
    ("GB", "en", 4),
    ("FR", "fr", 3),
    ("EG", "ar", 3),
    ("TH", "th", 3),
    ("SA", "ar", 2),
    ("IT", "it", 2),
    ("ES", "es", 2),
    ("JP", "ja", 2),
    ("NG", "en", 2),
    ("IN", "hi", 2),
    ("KR", "ko", 1),
    ("PL", "pl", 1),
    ("CO", "es", 1),
    ("AR", "es", 1),
    ("CA", "en", 1),
    ("AU", "en", 1),
    ("NL", "nl", 1),
    ("MY", "ms", 1),
    ("UA", "uk", 1),
    ("RO", "ro", 1),
    ("AE", "ar", 1),
    ("KE", "en", 1),
    ("ZA", "en", 1),
    ("CL", "es", 1),
    ("SE", "sv", 1),
    ("BE", "fr", 1),
    ("AT", "de", 1),
    ("PT", "pt", 1),
    ("IE", "en", 1),
    ("CH", "de", 1),
)
EU_MEMBERS = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)

# Common words per language; texts in other languages borrow English ones (loanwords and
# code-switching are the norm on the platform) plus the shared long tail below.
WORDS = {
    "en": """the a and to of is in it you that this for on my with so just me be are was
    love day new video when your all like what how but not out get got have one time up now
    life best go do can see look today good people really make know this way first last part
    watch never want need why girl boy friend family home food dance song music funny trend
    summer night morning school work weekend trip city beach car dog cat baby mom dad style
    outfit recipe workout tips hack story vibe real big little happy sad crazy wait omg wow
    cute beautiful challenge tutorial review reaction prank game match goal team win lose""",
    "de": """der die das und ist ich nicht ein eine zu mit auf für sich dem den es von
    wie so auch aber wenn was noch nur mal schon heute neue leben liebe freunde familie essen
    sommer urlaub stadt arbeit schule wochenende tanz musik lustig rezept tipps einfach immer
    wieder zusammen morgen abend richtig geil krass schön""",
    "fr": """le la les de et un une est pas je tu il elle on nous vous que qui dans pour
    sur avec ce mais plus tout comme bien très trop aujourd'hui vie amour amis famille cuisine
    été vacances ville travail école weekend danse musique drôle recette astuce nouveau belle""",
    "es": """el la los las de y que en un una es no por con para se lo como más pero muy
    mi tu hoy vida amor amigos familia comida verano viaje ciudad trabajo escuela baile música
    gracioso receta consejos nuevo bonita siempre todo nada fiesta""",
    "pt": """o a os as de e que em um uma é não por com para se do da mais mas muito
    meu hoje vida amor amigos família comida verão viagem cidade trabalho escola dança música
    engraçado receita dicas novo linda sempre tudo festa""",
    "id": """yang dan di ini itu aku kamu dengan untuk tidak ada dari ke juga sudah bisa
    hari cinta teman keluarga makanan liburan kota kerja sekolah joget musik lucu resep tips
    baru cantik banget selalu""",
    "tr": """ve bir bu da de için ile çok ne ben sen gibi daha ama var yok bugün hayat
    aşk arkadaş aile yemek yaz tatil şehir iş okul dans müzik komik tarif ipucu yeni güzel""",
    "ru": """и в не на я что он с это как а то все она так его но да ты сегодня жизнь
    любовь друзья семья еда лето отпуск город работа школа танец музыка смешно рецепт новый""",
    "ar": """في من على أن إلى هذا مع كان لا ما هو هي اليوم حياة حب أصدقاء عائلة طعام صيف
    سفر مدينة عمل مدرسة رقص موسيقى مضحك وصفة جديد جميل""",
    "ja": """の に は を た が で て と し れ さ ある いる 今日 生活 愛 友達 家族 料理 夏 旅行
    街 仕事 学校 ダンス 音楽 面白い レシピ 新しい かわいい""",
    "it": """il la di e che un una è non per con si come più ma molto oggi vita amore
    amici famiglia cibo estate viaggio città lavoro scuola ballo musica divertente ricetta""",
}

# A long tail of rare words: names, slang, brands, typos. Generated syllable words,
# the same for every seed, so that keyword rarity spans many orders of magnitude.
_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "ta",
    "vo",
    "zi",
    "sha",
    "bre",
    "dul",
    "fen",
    "gor",
    "hix",
    "jam",
    "kel",
    "lum",
    "mor",
    "nix",
    "pra",
    "quo",
    "ros",
    "sil",
    "tum",
    "vek",
    "wol",
    "yas",
    "zep",
)


def long_tail(count: int) -> list[str]:
    """`count` distinct made-up words: index i written in base-len(_SYLLABLES) syllables."""
    words, seen, i, n = [], set(), 0, len(_SYLLABLES)
    while len(words) < count:
        number, parts = i + n, []
        while number:
            number, digit = divmod(number, n)
            parts.append(_SYLLABLES[digit])
        word = "".join(parts)
        if word not in seen:
            seen.add(word)
            words.append(word)
        i += 1
    return words


HASHTAGS = """fyp foryou foryoupage viral trending tiktok love funny comedy dance music
duet challenge fashion style ootd beauty makeup skincare food recipe cooking foodtok travel
nature summer beach fitness gym workout motivation health sports football soccer basketball
gaming minecraft fortnite anime art drawing diy hack lifehack tips learnontiktok booktok
pets dog cat puppy baby family couple wedding school study student college cars memes
relatable storytime pov asmr news politics history science tech""".split()

# Search terms of the kind extremism studies use (a 2024 study searched 157): descriptive
# terms, movement names and documented coded phrases. Content built from these stays
# synthetic; the words are here so that keyword studies have something to find.
_EXTREMISM_WORDS = """extremist extremism radicalization radicalisation jihad jihadist
caliphate mujahideen martyrdom shaheed insurgent insurgency militia militant terrorist
terrorism propaganda recruitment manifesto ethnostate accelerationism accelerationist
boogaloo remigration siegepilled neonazi nazi fascist fascism supremacist supremacy
nationalist ultranationalist separatist paramilitary warlord crusader infidel apostate
takfir dawah hijrah baqiyah bayah ummah mujahid kuffar tawaghit inghimasi istishhad
shahada khilafah dawlah amaq nasheed""".split()
EXTREMISM_KEYWORDS = [
    *_EXTREMISM_WORDS,
    "great replacement",
    "white genocide",
    "race war",
    "day of the rope",
    "blood and soil",
    "14 words",
    "total collapse",
    "lone wolf",
    "holy war",
    "ethnic cleansing",
    "racial holy war",
    "white power",
    "national socialism",
    "third position",
    "zog",
    "deus vult",
    "remove kebab",
    "saint tarrant",
    "beta uprising",
    "going er",
    "blackpill",
    "stochastic terror",
    "civil war now",
    "armed struggle",
    "rise up",
    "take back",
    "our people",
    "they replace us",
    "defend europe",
    "reconquista",
    "kalergi plan",
    "white pride",
    "sieg",
    "heil",
    "88",
    "1488",
    "hh",
    "sonnenrad",
    "black sun",
    "totenkopf",
    "wolfsangel",
    "odal rune",
    "life rune",
    "celtic cross",
    "attack helicopter",
    "based and redpilled",
    "redpill",
    "groyper",
    "rahowa",
    "skull mask",
    "atomwaffen",
    "feuerkrieg",
    "the base",
    "patriot front",
    "proud boys",
    "oath keepers",
    "three percenter",
    "identitarian",
    "generation identity",
    "active club",
    "nordic resistance",
    "golden dawn",
    "islamic state",
    "al qaeda",
    "al shabaab",
    "boko haram",
    "hezbollah",
    "hamas military",
    "taliban",
    "tehrik",
    "lashkar",
    "ansar",
    "wilayat",
    "dabiq",
    "rumiyah",
    "inspire magazine",
    "lone mujahid",
    "martyrdom operation",
    "istishhadi",
    "flames of war",
    "clanging swords",
    "salil al sawarim",
    "kill the infidels",
    "death to",
    "behead",
    "execution video",
    "bomb making",
    "weapon tutorial",
    "3d printed gun",
    "drone attack",
    "truck attack",
    "mass shooting",
    "shooter manifesto",
    "livestream attack",
    "high score",
    "saints list",
    "kill count",
    "hero of the race",
    "day x",
    "tag x",
    "the turner diaries",
    "siege mason",
    "hunter bulletin",
]
# How the coded part of the cluster writes instead: emoji sequences, numbers and in-group
# slang of the kind monitoring reports describe, none of them in EXTREMISM_KEYWORDS, so a
# keyword list misses them. Synthetic stand-ins, not a list to search with.
CODED_TERMS = [
    "🌊🌊🌊",
    "⚔️🛡️",
    "🐸🌙",
    "⚡⚡",
    "🏴🕊️",
    "☀️🖤",
    "1⃣4⃣",
    "8️⃣8️⃣",
    "the old ways",
    "our fathers' land",
    "the ones who stayed",
    "brothers in the north",
    "when the sun rises",
    "the long night",
    "join the caravan",
    "glory to the fallen",
    "ironsong",
    "wolfmoon",
]
CODED_HASHTAGS = (
    "oldways",
    "ironsong",
    "wolfmoon",
    "longnight",
    "thecaravan",
    "fathersland",
)
EXTREMISM_HASHTAGS = (
    "remigration",
    "greatreplacement",
    "whitegenocide",
    "racewar",
    "accelerationism",
    "boogaloo",
    "caliphate",
    "khilafah",
    "mujahideen",
    "jihad",
    "14words",
    "dayoftherope",
    "saintarrant",
    "deusvult",
    "defendeurope",
    "nationalsocialism",
    "whitepower",
    "dawlah",
    "blackpill",
    "groyper",
)

FIRST_NAMES = """lena max sofia lucas maria jan anna noah emma leo mia ali fatima omar
yusuf aisha ahmed mehmet elif can zeynep ivan olga dmitri anya yuki haruto sakura minji
jiwoo budi siti dewi rizky juan lucia diego valentina mateo camila pedro ana joao beatriz
rafael julia chloe louis jade hugo giulia marco luca sara kofi amara tunde chioma thabo
liam olivia ethan ava mason zoe aria kai nina priya arjun rohan""".split()

BIO_PHRASES = (
    "creator",
    "dreamer",
    "mom of 3",
    "dad jokes",
    "coffee first",
    "travel addict",
    "gamer",
    "artist",
    "dancer",
    "foodie",
    "student",
    "fitness coach",
    "music",
    "photographer",
    "storyteller",
    "she/her",
    "he/him",
    "living my best life",
    "daily vlogs",
    "new videos every week",
    "not a bot",
    "be kind",
)

EMAIL_DOMAINS = (
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "web.de",
    "orange.fr",
    "mail.ru",
    "hotmail.com",
    "icloud.com",
    "proton.me",
    "yandex.ru",
)
LINK_HOSTS = (
    "linktr.ee",
    "instagram.com",
    "youtube.com",
    "t.me",
    "bit.ly",
    "discord.gg",
    "shop.example.com",
    "www.example.org",
)
