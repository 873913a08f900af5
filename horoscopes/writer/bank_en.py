"""The offline writer's English phrase bank: every phrase is tied to the sky fact that calls for it.

Same keys as bank_ru.py. Placeholders: {moon_in} ("in Sagittarius"), {when} ("in the afternoon"),
{sign_into} ("into Capricorn"), {theme}, {planet}, {ordinal}, {topic}.
"""

HOUSE_TOPIC = {
    1: "you yourself, your image and well-being",
    2: "money and what you value",
    3: "conversations, short trips and news",
    4: "home, family and roots",
    5: "love, joy and creativity",
    6: "work, routine and health",
    7: "partnership and close relationships",
    8: "shared resources, trust and change",
    9: "travel, learning and your outlook",
    10: "career, goals and reputation",
    11: "friends, allies and plans",
    12: "rest, solitude and your inner world",
}
HOUSE_FOCUS = {
    1: "you and your well-being",
    2: "money and what you value",
    3: "conversations, short trips and news",
    4: "home, family and roots",
    5: "love, joy and creativity",
    6: "work, routine and health",
    7: "partnership and close relationships",
    8: "shared resources, trust and change",
    9: "travel, learning and new horizons",
    10: "career, goals and reputation",
    11: "friends, allies and plans",
    12: "rest, quiet and your inner world",
}

# The overview's first sentence: "{lead}: {meaning}." The lead is shared, the meaning follows the Moon's house.
MOON_LEAD = (
    "The Moon {moon_in} moves through your {ordinal} house",
    "Today the Moon is {moon_in}, in your {ordinal} house",
    "The Moon {moon_in} lights up your {ordinal} house",
    "The Moon {moon_in} lingers in your {ordinal} house",
    "The Moon is {moon_in}, which for you is the {ordinal} house",
    "The Moon {moon_in} visits your {ordinal} house",
)
MOON_MEANING = {
    1: (
        "feelings sit close to the surface, and you sense more clearly what you really want",
        "a lot depends on your mood and on how you present yourself",
        "you feel like putting yourself and your plans first",
        "you are easy to notice, so don't hide",
        "moods change quickly, and that is fine",
    ),
    2: (
        "a good moment to tidy up your finances and look after your comfort",
        "money, purchases and whatever makes you feel secure come first",
        "you want reliability and results you can touch",
        "it is time to remember what you truly value",
        "feeling safe is tied to money and possessions today",
    ),
    3: (
        "a day of conversations, messages and short trips",
        "news, calls and meetings follow one another",
        "curiosity grows, and you want to talk everything through",
        "words come easily, and relatives and neighbours get in touch",
        "your head is full of thoughts you want to share",
    ),
    4: (
        "you want warmth, comfort and your own people around",
        "your attention turns to home and family",
        "you recharge best within your own walls",
        "the past and family matters ask to be talked about",
        "a good moment for unhurried chores at home",
    ),
    5: (
        "you want to live the day brightly",
        "pleasure, flirting and creativity call",
        "the heart is open, and play and laughter come easily",
        "you want a little celebration and some attention",
        "whatever you do from the heart, not from duty, goes well",
    ),
    6: (
        "a day for tasks, routine and looking after your body",
        "anything to do with schedules and small jobs goes more smoothly",
        "you want order both in your tasks and in your body",
        "being useful matters more than shining today",
        "healthy habits take root faster than usual",
    ),
    7: (
        "other people and your agreements with them take centre stage",
        "a lot gets settled in conversation",
        "a partner or someone close sets the tone of the day",
        "together works better than alone today",
        "you want balance in your relationships",
    ),
    8: (
        "emotions run deeper and intuition is sharper",
        "trust, shared money and what it is time to let go of come up",
        "the superficial bores you, and you want to get to the bottom of things",
        "a good time to sort out debts and shared expenses",
        "feelings are strong, but better not poured out at once",
    ),
    9: (
        "you are drawn beyond the familiar",
        "a good day for study, travel plans and big ideas",
        "you want meaning, not just tasks",
        "new knowledge and people from afar arrive on time",
        "your outlook on life grows wider",
    ),
    10: (
        "what you do today is in plain view",
        "the right time to show results",
        "your thoughts are on goals and where you are heading",
        "responsibility is expected of you, and you can carry it",
        "your reputation is built from what you do today",
    ),
    11: (
        "support comes through people",
        "you want to meet like-minded people and talk about the future",
        "friends and shared plans matter more than usual",
        "a good day for teamwork",
        "dreams about the future take shape",
    ),
    12: (
        "your strength needs time to recover",
        "the day suits quiet and taking stock better than big pushes",
        "you want to step away from the noise",
        "intuition tells you more than logic",
        "unfinished business asks for attention, and new things can wait",
    ),
}

# Events of the day, each named with the house it falls in for the sign.
LUNATION = {
    "new_moon": "Today's new moon falls in your {ordinal} house ({topic}): time to start something new there.",
    "first_quarter": "The Moon reaches its first quarter in your {ordinal} house ({topic}): what you have begun "
    "asks for decisive action.",
    "full_moon": "Today's full moon falls in your {ordinal} house ({topic}): what has been ripening there comes "
    "into the open.",
    "last_quarter": "The Moon reaches its last quarter in your {ordinal} house ({topic}): time to finish and let "
    "go of what is not needed.",
}
ECLIPSE = {
    "solar": "Today's solar eclipse falls in your {ordinal} house ({topic}): change can begin there unexpectedly, "
    "so don't jump to conclusions.",
    "lunar": "Today's lunar eclipse falls in your {ordinal} house ({topic}): something there is coming to an end; "
    "let it go calmly.",
}
# The same events when they fall in the Moon's house, already named by the first sentence: no house again.
LUNATION_HERE = {
    "new_moon": "Today's new moon falls right there too ({topic}): time to start something new.",
    "first_quarter": "The Moon also reaches its first quarter there ({topic}): what you have begun asks for "
    "decisive action.",
    "full_moon": "Today's full moon falls there as well ({topic}): what has been ripening comes into the open.",
    "last_quarter": "The Moon also reaches its last quarter there ({topic}): time to finish and let go of what "
    "is not needed.",
}
ECLIPSE_HERE = {
    "solar": "Today's solar eclipse falls right there too: changes may start suddenly, so don't rush to conclusions.",
    "lunar": "Today's lunar eclipse falls there as well: something in that area is coming to an end; let it go calmly.",
}
MOON_CHANGE = (
    "{when}, the Moon moves {sign_into}, and the focus shifts to {theme}.",
    "{when}, the Moon changes sign and moves {sign_into}: attention turns to {theme}.",
    "{when}, the Moon leaves for {sign_name}, bringing {theme} to the fore.",
    "{when}, the mood changes: the Moon moves {sign_into}, and {theme} matter more.",
    "{when}, the Moon moves {sign_into}, and from then on {theme} take centre stage.",
)
INGRESS = "{planet} moves {sign_into} today, your {ordinal} house: {topic} come to the fore."
INGRESS_BACK = "{planet} moves back {sign_into} today, your {ordinal} house: {topic} need attention again."
STATION = {
    "retrograde": "{planet} {becomes} in your {ordinal} house ({topic}): a time to review and return to old "
    "matters rather than start new ones.",
    "direct": "{planet} {becomes} in your {ordinal} house ({topic}): stalled matters start moving again.",
}
BECOMES = {
    ("retrograde", "m"): "stations retrograde",
    ("retrograde", "f"): "stations retrograde",
    ("direct", "m"): "turns direct",
    ("direct", "f"): "turns direct",
}

# Sections: "{lead from the Moon's tone}: {the section's advice}." Any advice fits any lead of its section.
TONE_LEAD = {
    "love": {
        "same": (
            "With the Moon in your sign you are especially attractive",
            "your feelings are plain to see today",
            "you need attention more than usual",
            "emotions in your relationships are close to the surface",
        ),
        "harmony": (
            "with the Moon in harmony with your sign, feelings flow easily",
            "the emotional weather is mild, and a warm word finds a response",
            "it is easy to agree with those close to you today",
            "there is more warmth than usual in your relationships",
        ),
        "tension": (
            "with the Moon at a tense angle to your sign, small things sting more than usual",
            "moods are changeable, and tempers flare easily",
            "misunderstandings with a partner are possible",
            "feelings are raw and patience is short",
        ),
        "neutral": (
            "an even day in love",
            "feelings need some fine-tuning",
            "a quiet day for matters of the heart",
            "in love, small things decide everything today",
        ),
    },
    "work": {
        "same": (
            "at work you are at the centre of events today",
            "intuition points to the right move at work",
            "your mood is catching for colleagues",
            "personal initiative decides a lot at work",
        ),
        "harmony": (
            "work moves at the right pace",
            "colleagues are well disposed",
            "hard tasks turn out simpler than expected",
            "the right people and information are at hand",
        ),
        "tension": (
            "hitches at work are possible",
            "someone at work may push or hurry you",
            "work matters call for patience",
            "deadlines and other people's expectations weigh more than usual",
        ),
        "neutral": (
            "the working day runs evenly",
            "care matters more than speed at work today",
            "routine and clearing the backlog come easily",
            "work goes without surprises",
        ),
    },
    "health": {
        "same": (
            "how you feel depends a lot on your mood",
            "there is plenty of energy, but it comes in bursts",
            "your body responds well to care",
            "you notice your body's signals more keenly",
        ),
        "harmony": (
            "your strength is in good order",
            "you feel steady",
            "your body recovers easily",
            "there is energy enough for everything you planned",
        ),
        "tension": (
            "tension may show up as tiredness or a headache",
            "nerves are thinner than usual",
            "your body signals sooner that it is time to stop",
            "energy drains faster than it seems",
        ),
        "neutral": (
            "a moderate pace suits your body",
            "well-being rests on your routine",
            "nothing stands in the way of keeping fit",
            "your body asks for attention, but without extremes",
        ),
    },
    "money": {
        "same": (
            "the urge to treat yourself is strong",
            "money decisions are emotional today",
            "you sense clearly what is valuable to you",
            "money is closely tied to your mood today",
        ),
        "harmony": (
            "money matters go well",
            "your financial judgement is sharp today",
            "a small pleasant income is possible",
            "talks about payment go smoothly",
        ),
        "tension": (
            "impulse spending is more likely than usual",
            "a catch may hide in the small print",
            "it is wiser to be careful with money today",
            "other people's money promises are worth checking",
        ),
        "neutral": (
            "a calm day for money",
            "small expenses quietly add up",
            "money questions are not urgent",
            "the budget holds without effort today",
        ),
    },
}
SECTION_TAIL = {
    "love": (
        "small signs of attention will do more than grand words",
        "tell someone close what you have long wanted to say",
        "listen more than you argue",
        "find an evening to talk without phones",
        "don't expect to be understood without words",
        "spend unhurried time with someone dear to you",
        "suggest something to do together, even a simple walk",
        "talk about your feelings, not about the other person's mistakes",
    ),
    "work": (
        "break big tasks into small steps",
        "leave some slack in your schedule and don't overpromise",
        "stick to your plan and set priorities",
        "finish one thing before starting the next",
        "check the figures before sending anything",
        "agree on deadlines in writing",
        "take on what needs your initiative",
        "write decisions down so you don't have to revisit them",
    ),
    "health": (
        "take breaks and get some fresh air",
        "drink more water and move more",
        "go to bed a little earlier",
        "less coffee and screens, more quiet",
        "don't skip meals",
        "choose a walk or a workout you enjoy",
        "listen to your body: it will tell you when to rest",
        "start the morning with a light stretch",
    ),
    "money": (
        "decide in advance how much you are willing to spend",
        "look through your statement and cancel what you don't need",
        "give any big purchase a day",
        "plan your money for the week ahead",
        "double-check bills and terms",
        "don't lend money on a whim",
        "put aside at least a small sum",
        "choose quality over quantity",
    ),
}

# An exact aspect of the day in a section: "The Venus–Uranus trine links your fifth and ninth houses and ...".
# The effect follows the other planet and the aspect's nature.
ASPECT_TWO = (
    "The {a}–{b} {aspect} links your {first} and {second} houses and {effect}.",
    "The {a}–{b} {aspect} {effect}: a meeting of your {first} and {second} houses.",
    "The {a}–{b} {aspect}, between your {first} and {second} houses, {effect}.",
)
ASPECT_ONE = (
    "The {a}–{b} {aspect} touches your {first} house and {effect}.",
    "The {a}–{b} {aspect} {effect}: all of it in your {first} house.",
    "The {a}–{b} {aspect}, in your {first} house, {effect}.",
)
PLANET_EFFECT = {
    "sun": {
        "soft": ("adds confidence and clarity", "helps you act openly"),
        "hard": ("pits your wishes against other people's pride", "asks you not to prove yourself right at any cost"),
        "conj": ("puts this theme in the spotlight", "gives it strength and clarity"),
    },
    "moon": {
        "soft": ("keeps moods even and warm", "helps you see what you need"),
        "hard": ("makes reactions sharper than you would like", "rocks your mood"),
        "conj": ("colours the day with strong feelings", "sharpens intuition"),
    },
    "mercury": {
        "soft": ("helps you agree and find the words", "eases messages and negotiations"),
        "hard": ("threatens misunderstandings, so clarify the details", "muddles plans and messages"),
        "conj": ("brings important talks and news", "fills your head with ideas"),
    },
    "venus": {
        "soft": ("adds charm and lightness", "helps smooth things over"),
        "hard": ("tempts you to overspend and indulge", "inflates expectations"),
        "conj": ("brings pleasure and warmth", "makes the day pleasant for meetings"),
    },
    "mars": {
        "soft": ("adds energy and resolve", "helps you act boldly"),
        "hard": ("stirs up arguments and impatience", "pushes you to rush, so slow down"),
        "conj": ("gives a strong push to act", "adds drive and passion"),
    },
    "jupiter": {
        "soft": ("opens lucky opportunities", "supports growth and generosity"),
        "hard": ("tempts you to excess and promises beyond your strength", "inflates hopes"),
        "conj": ("widens your horizons", "brings a generous chance"),
    },
    "saturn": {
        "soft": ("makes things solid", "rewards patience and order"),
        "hard": ("calls for patience and clear agreements", "sets limits you will have to respect"),
        "conj": ("makes the day serious and responsible", "tests plans for strength"),
    },
    "uranus": {
        "soft": ("brings pleasant surprises", "helps you find an unusual solution"),
        "hard": ("changes plans suddenly", "pushes you to abrupt moves, so don't act rashly"),
        "conj": ("brings an unexpected turn", "calls for change"),
    },
    "neptune": {
        "soft": ("sharpens intuition and inspiration", "adds gentleness and compassion"),
        "hard": ("blurs boundaries, so check the facts", "breeds illusions and confusion"),
        "conj": ("wraps the day in daydreams", "opens the way to inspiration"),
    },
    "pluto": {
        "soft": ("helps you change something calmly", "gives you the power to influence things"),
        "hard": ("sharpens struggles for control", "brings hidden tension to the surface"),
        "conj": ("sets big changes in motion", "gives you the resolve to see things through"),
    },
}

# A retrograde planet: "{lead}: {advice}." Mentioned every few days, not every day.
RETRO_LEAD = {
    "mercury": ("Mercury is retrograde in your {ordinal} house", "Retrograde Mercury stands in your {ordinal} house"),
    "venus": ("Venus is retrograde in your {ordinal} house", "Retrograde Venus stands in your {ordinal} house"),
    "mars": ("Mars is retrograde in your {ordinal} house", "Retrograde Mars stands in your {ordinal} house"),
    "jupiter": ("Jupiter is retrograde in your {ordinal} house", "Retrograde Jupiter stands in your {ordinal} house"),
    "saturn": ("Saturn is retrograde in your {ordinal} house", "Retrograde Saturn stands in your {ordinal} house"),
}
RETRO_ADVICE = {
    "mercury": (
        "reread messages before sending them",
        "don't sign anything important in a hurry",
        "keep copies of your documents",
        "double-check addresses, dates and details",
        "go back to old ideas before looking for new ones",
    ),
    "venus": (
        "the past may make itself felt in your relationships",
        "don't rush into new commitments",
        "work out what you truly hold dear",
        "big purchases for beauty are better postponed",
        "old attractions may return, so don't jump to conclusions",
    ),
    "mars": (
        "energy turns inward, so avoid sudden strain",
        "finish what you started rather than pick new fights",
        "better not to fan old quarrels",
        "train more gently than usual",
        "turn anger into movement, not words",
    ),
    "jupiter": (
        "growth comes from within, so review your money goals",
        "protect what you have rather than chase more",
        "check the foundations before expanding",
        "old opportunities may come back in a new form",
        "leave a margin when you make promises",
    ),
    "saturn": (
        "old commitments need attention",
        "tie up loose ends before moving on",
        "earlier decisions are being tested",
        "rework what was done in a hurry",
        "discipline matters more than speed now",
    ),
}

TIP = {
    1: (
        "Start the morning with whatever makes you feel like yourself: music, a walk, coffee in quiet",
        "Refresh something in your look or wardrobe",
        "Write down one wish for today and grant it to yourself",
    ),
    2: (
        "Check your subscriptions and cancel one you don't need",
        "Put aside a small sum, even a symbolic one",
        "Buy one good thing instead of several random ones",
    ),
    3: (
        "Message someone you have been thinking about",
        "Read ten pages of a good book",
        "Take a new route",
    ),
    4: (
        "Tidy one corner of your home",
        "Call your parents or older relatives",
        "Cook dinner for your family or for yourself",
    ),
    5: (
        "Do something just for fun, with no use or report",
        "Plan a meeting with someone you like",
        "Spend at least fifteen minutes on something creative",
    ),
    6: (
        "Make a list of three main tasks and add nothing more",
        "Drink an extra glass of water and do a short stretch",
        "Clear your desk or your inbox",
    ),
    7: (
        "Ask a partner or friend how you can help",
        "Before arguing, restate the other person's view in your own words",
        "Put an important agreement in writing",
    ),
    8: (
        "Let go of one old grudge or one thing you don't need",
        "Check the paperwork on shared money",
        "Trust your gut in one small decision",
    ),
    9: (
        "Learn something new: a lecture, an article, a language lesson",
        "Sketch a plan for a future trip, even if it is only a dream for now",
        "Look at a familiar task through a beginner's eyes",
    ),
    10: (
        "Take one step towards a big goal",
        "Jot down a short list of your achievements",
        "Dress a little more formally than usual",
    ),
    11: (
        "See friends or write in the group chat",
        "Offer help with a shared project",
        "Write down three dreams for the coming year",
    ),
    12: (
        "Set aside an hour of quiet without your phone",
        "Go to bed half an hour earlier",
        "Finish one task that has been hanging over you",
    ),
}
# The ending of the tip, fitting any tip: "{tip}, {closer}."
TIP_CLOSER = (
    "and in the evening notice what has changed",
    "and make it a small ritual of the day",
    "without hurry or a sense of duty",
    "and don't put it off until tomorrow",
    "even if the day turns out busy",
    "it is easier than it seems",
    "and give yourself credit for it",
    "and see how it lifts your mood",
    "a small step, but one in your favour",
    "and let it be a pleasure",
)

TRANSIT_FACTS = (
    "Today {planet} forms {target}",
    "{Planet} makes {target}",
    "In your chart today {planet} casts {target}",
    "Right now {planet} is in {target}",
    "A key transit of the day: {planet}, {target}",
)
# A transit in a section: "{fact}, which {effect}."; the effect comes from the transiting planet's PLANET_EFFECT.
TRANSIT_WITH_MEANING = "{fact} — {meaning}."
TRANSIT_WITH_EFFECT = "{fact}, which {effect}."
TRANSIT_PEAK = ", exact at {time}"
TRANSIT_HOUSE = (
    "It plays out in your {ordinal} house: {topic}.",
    "The stage is your {ordinal} house: {topic}.",
    "The transiting planet stands in your {ordinal} house, so {topic} are touched.",
)
TRANSIT_MEANING = {
    "sun": {
        "soft": (
            "Your confidence grows, and people hear you more easily.",
            "The day backs your intentions: act openly.",
        ),
        "hard": (
            "Your wishes run into circumstances: choose where to give way.",
            "There may be friction with people used to deciding for you, so stay calm.",
        ),
        "conj": (
            "The spotlight is on you: a good moment to make yourself known.",
            "The day feels like a personal fresh start.",
        ),
    },
    "moon": {
        "soft": (
            "Your mood is steady and warm, and your intuition is accurate.",
            "It is easy to see what you need and to ask for it.",
        ),
        "hard": (
            "Emotions may sway you: do not decide anything at the peak of your feelings.",
            "Small irritations sting more, so give yourself a pause.",
        ),
        "conj": (
            "Feelings are heightened, and the day is coloured by personal matters.",
            "A good moment to listen to yourself and your body.",
        ),
    },
    "mercury": {
        "soft": (
            "Your thoughts are clear and your words land: time for important conversations.",
            "Negotiations, study and correspondence go well.",
        ),
        "hard": (
            "Misunderstandings are possible: clarify details and do not answer in the heat of the moment.",
            "There is a lot of information and it is contradictory: check your sources.",
        ),
        "conj": (
            "Your head is full of ideas: write them down while they are fresh.",
            "A day of important news and decisions.",
        ),
    },
    "venus": {
        "soft": (
            "You are charming and people are drawn to you: a good day for meetings and treats for yourself.",
            "Relationships are harmonious, and your taste is impeccable.",
        ),
        "hard": (
            "You want more love and pleasure than the day can give: do not demand the impossible.",
            "Temptations come at a price: keep your budget and expectations in check.",
        ),
        "conj": (
            "Love and beauty are at the heart of the day: treat yourself and those close to you.",
            "A lovely time for dates and for making up.",
        ),
    },
    "mars": {
        "soft": (
            "You have energy for a lot: act decisively.",
            "Courage is rewarded, and sport is a pleasure.",
        ),
        "hard": (
            "It is easy to flare up or rush: put that heat into movement, not into arguments.",
            "There is a risk of conflicts and minor injuries, so slow down.",
        ),
        "conj": (
            "A powerful surge of strength: start what you have long hesitated to begin.",
            "Your desires are strong and you want to act at once: choose one goal.",
        ),
    },
    "jupiter": {
        "soft": (
            "Luck is on your side: widen your horizons and say yes to opportunities.",
            "Your optimism is justified: a good time for growth and learning.",
        ),
        "hard": (
            "You want everything at once: make sure generosity does not turn into overspending.",
            "It is easy to overestimate your strength, so plan with a margin.",
        ),
        "conj": (
            "A new opportunity for growth opens up: do not miss it.",
            "A generous spell: share and receive.",
        ),
    },
    "saturn": {
        "soft": (
            "Effort brings lasting results: a time for discipline and long-term plans.",
            "Experience and patience pay off, and you are trusted with responsibility.",
        ),
        "hard": (
            "You feel the weight of obligations: take one step at a time and do not demand everything of "
            "yourself at once.",
            "Today's limits have a lesson in them: find out what really matters.",
        ),
        "conj": (
            "A time for grown-up decisions and responsibility.",
            "You are laying foundations for years ahead: do not rush.",
        ),
    },
    "uranus": {
        "soft": (
            "Fresh ideas and unexpected chances: stay open to the new.",
            "Anything unconventional works out well.",
        ),
        "hard": (
            "Plans may change suddenly: leave yourself room to manoeuvre.",
            "You are tempted to make abrupt moves, so weigh the consequences first.",
        ),
        "conj": (
            "You long for freedom and change: take a conscious step towards them.",
            "The day brings an unexpected awakening.",
        ),
    },
    "neptune": {
        "soft": (
            "Intuition and inspiration run high: create and dream.",
            "Compassion and sensitivity help you understand others.",
        ),
        "hard": (
            "It is easy to be deceived or to deceive yourself: check the facts.",
            "Your energy scatters, so do not take on other people's problems.",
        ),
        "conj": (
            "The line between dream and reality is thin: trust your feelings, but hold on to the facts.",
            "A time for creativity and spiritual search.",
        ),
    },
    "pluto": {
        "soft": (
            "Deep changes work in your favour: use your strength calmly.",
            "You are able to influence the situation and change it for the better.",
        ),
        "hard": (
            "A struggle for control is possible: do not push, and do not give in to pressure.",
            "The old is leaving to make room for the new, and that is not always easy.",
        ),
        "conj": (
            "A period of deep transformation: something important is changing for good.",
            "Your personal power grows, so use it wisely.",
        ),
    },
}
NATAL_AREA = {
    "sun": "your strength, self-esteem and will",
    "moon": "your feelings, home and need for security",
    "mercury": "thinking, communication and decisions",
    "venus": "love, pleasure and money",
    "mars": "energy, courage and desire",
    "jupiter": "growth, luck and self-belief",
    "saturn": "duties, boundaries and long-term plans",
    "uranus": "freedom and change",
    "neptune": "dreams, intuition and inspiration",
    "pluto": "deep change and personal power",
    "asc": "how you come across and how others see you",
    "mc": "career, vocation and reputation",
}
AREA = ("In focus: {area}.", "What it touches: {area}.", "It concerns something central to you: {area}.")
