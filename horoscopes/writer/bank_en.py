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

MOON_HOUSE = {
    1: (
        "The Moon {moon_in} passes through your own sign: feelings sit close to the surface, and you sense more "
        "clearly what you really want.",
        "With the Moon {moon_in}, in your first house, a lot depends on your mood and on how you present "
        "yourself today.",
    ),
    2: (
        "The Moon {moon_in} moves through your second house, the house of money and values: a good moment to "
        "tidy up your finances and look after your comfort.",
        "The Moon {moon_in} lights up your second house: money, purchases and whatever makes you feel secure "
        "come first.",
    ),
    3: (
        "The Moon {moon_in} moves through your third house: a day of conversations, messages and short trips.",
        "With the Moon {moon_in} in your third house, communication comes alive: news, calls and meetings "
        "follow one another.",
    ),
    4: (
        "The Moon {moon_in} moves through your fourth house, the house of home and roots: you want warmth, "
        "comfort and your own people around.",
        "The Moon {moon_in} in your fourth house turns your attention to home and family: a good day to sort "
        "out domestic matters and recharge.",
    ),
    5: (
        "The Moon {moon_in} moves through your fifth house, the house of love, joy and creativity: a day you "
        "will want to live brightly.",
        "With the Moon {moon_in} in your fifth house, pleasure, flirting and creative work call: allow yourself "
        "a little celebration.",
    ),
    6: (
        "The Moon {moon_in} moves through your sixth house, the house of work and health: a day for tasks, "
        "routine and looking after your body.",
        "The Moon {moon_in} in your sixth house puts you in a practical mood: anything to do with schedules and "
        "small tasks goes more smoothly.",
    ),
    7: (
        "The Moon {moon_in} moves through your seventh house, the house of partnership: other people and your "
        "agreements with them take centre stage.",
        "With the Moon {moon_in} in your seventh house, relationships come first: much will be settled in "
        "conversation.",
    ),
    8: (
        "The Moon {moon_in} moves through your eighth house, the house of shared resources and change: emotions "
        "run deeper and intuition is sharper.",
        "The Moon {moon_in} in your eighth house raises questions of trust, joint money and what it is time to "
        "let go of.",
    ),
    9: (
        "The Moon {moon_in} moves through your ninth house, the house of travel and wider horizons: you are "
        "drawn beyond the familiar.",
        "With the Moon {moon_in} in your ninth house, curiosity wakes up: a good day for study, travel plans "
        "and big ideas.",
    ),
    10: (
        "The Moon {moon_in} moves through your tenth house, the house of career and goals: what you do today is seen.",
        "The Moon {moon_in} in your tenth house shifts the focus to work and reputation: a fitting time to show "
        "results.",
    ),
    11: (
        "The Moon {moon_in} moves through your eleventh house, the house of friends and plans: support comes "
        "through people.",
        "With the Moon {moon_in} in your eleventh house, the day favours like-minded company and thinking about "
        "the future.",
    ),
    12: (
        "The Moon {moon_in} moves through your twelfth house, the house of rest and the inner world: your "
        "energy needs time to recover.",
        "The Moon {moon_in} in your twelfth house asks you to slow down: the day suits quiet and taking stock "
        "better than big pushes.",
    ),
}

PHASE = {
    "new_moon": (
        "Today is the new moon: a time to set an intention and take a first small step.",
        "The new moon opens a fresh lunar cycle: start what you have long wanted to, but without forcing it.",
    ),
    "waxing_crescent": (
        "The young waxing Moon supports new starts: your energy builds little by little.",
        "The Moon is growing, and so is your energy: a fitting time for first steps.",
    ),
    "first_quarter": (
        "The first-quarter Moon is a moment of decisions: what you have started now asks for action.",
        "The Moon at first quarter tests your plans: somewhere you will need to push a little.",
    ),
    "waxing_gibbous": (
        "The Moon is waxing towards full: a good time to polish what you have begun.",
        "The waxing Moon gathers strength: time to refine details and see tasks through.",
    ),
    "full_moon": (
        "Today is the full moon: emotions run brighter than usual, and much becomes obvious.",
        "The full moon brings things to light: what has been ripening for weeks comes out into the open.",
    ),
    "waning_gibbous": (
        "The Moon has begun to wane: time to share what you know and reap what you have sown.",
        "The waning Moon helps you take stock and let go of what you no longer need.",
    ),
    "last_quarter": (
        "The last-quarter Moon is a good moment to clear space: finish, sort out, let go.",
        "The Moon at last quarter suggests reviewing your plans and dropping what does not work.",
    ),
    "waning_crescent": (
        "The old Moon is fading: save your strength and put big launches off until the new moon.",
        "The Moon is waning and will soon renew itself: a day for rest, endings and quiet tasks.",
    ),
}

MOON_CHANGE = "{when}, the Moon moves {sign_into}, and the focus shifts to {theme}."
INGRESS = "{planet} moves {sign_into} today, your {ordinal} house: {topic}."
# When the planet enters the same house the Moon is in today.
INGRESS_SAME = "{planet} also moves {sign_into} today, underlining this theme for some time to come."
STATION = {
    "retrograde": "{planet} {becomes} today: a time to review and revisit rather than to launch something new.",
    "direct": "{planet} {becomes} today: stalled matters start moving again.",
}
BECOMES = {
    ("retrograde", "m"): "stations retrograde",
    ("retrograde", "f"): "stations retrograde",
    ("direct", "m"): "turns direct",
    ("direct", "f"): "turns direct",
}

TONE = {
    "love": {
        "same": (
            "With the Moon in your sign you are especially magnetic: do not hide your feelings.",
            "Your emotions are easy to read today, which makes it a good moment to say what you have long wanted to.",
            "You need attention more than usual today: ask for it directly.",
        ),
        "harmony": (
            "The Moon is in harmony with your sign: feelings flow easily, and a kind word finds a response.",
            "The emotional weather is gentle: a good time for a date or a heartfelt talk.",
            "It is easy to reach an understanding with loved ones today: take the first step and you will be met "
            "halfway.",
        ),
        "tension": (
            "The Moon is at a tense angle to your sign: small things may sting more than usual, so do not jump "
            "to conclusions.",
            "Moods shift quickly, so in relationships it is better to listen than to argue your case.",
            "Misunderstandings with a partner are possible: talk about your feelings, not about their mistakes.",
        ),
        "neutral": (
            "Love life runs evenly today: small gestures will do more than grand words.",
            "Feelings need some fine-tuning: listen to what the person close to you needs.",
            "A calm day for matters of the heart: simply spend time together without rushing.",
        ),
    },
    "work": {
        "same": (
            "You are at the centre of things today: take on whatever needs personal initiative.",
            "Your intuition suggests the right move: trust it, but check the numbers.",
            "Your mood is contagious: a good day to lead the team.",
        ),
        "harmony": (
            "Work moves at the right pace: tasks that seemed hard turn out to be simpler.",
            "Colleagues are well disposed, so use it for joint tasks.",
            "A good day to move a project forward: the right people and information are close at hand.",
        ),
        "tension": (
            "Hitches are possible at work: allow extra time and do not promise too much.",
            "Someone may push or hurry you: stick to your plan and set your priorities.",
            "Work matters need patience: better to finish one thing than to start three.",
        ),
        "neutral": (
            "The working day goes more smoothly if you break tasks into small steps.",
            "Focus on the tasks at hand: today care matters more than speed.",
            "Routine and clearing the backlog come easily, and the rest of the week will feel lighter for it.",
        ),
    },
    "health": {
        "same": (
            "How you feel depends a lot on your mood: start the day with something you enjoy.",
            "There is plenty of energy, but it comes in waves: alternate activity and pauses.",
            "Your body responds well to care: get enough sleep and do not skip meals.",
        ),
        "harmony": (
            "Your energy is in good shape: a fine day for a walk or a workout you enjoy.",
            "You feel steady: support it with water, movement and fresh air.",
            "The body recovers easily: a fitting time to start a healthy habit.",
        ),
        "tension": (
            "Tension may show up as tiredness or a headache, so take breaks.",
            "Look after your nerves: less coffee and screen time, more sleep and quiet.",
            "Do not overload yourself: today your body signals sooner that it is time to stop.",
        ),
        "neutral": (
            "Keep a moderate pace and mind your routine: that is enough today.",
            "A light stretch and a phone put away on time in the evening are all you need today.",
            "Listen to your body: it will tell you when to rest.",
        ),
    },
    "money": {
        "same": (
            "The urge to treat yourself is strong: decide in advance how much you are ready to spend.",
            "Money decisions are emotional today, so put big purchases off for a day.",
            "You sense clearly what matters to you: let that guide your spending.",
        ),
        "harmony": (
            "Money matters go well: a good day to negotiate payment.",
            "You can plan your budget and big purchases: your judgement is sound today.",
            "A small pleasant income or a good offer is possible, so keep your eyes open.",
        ),
        "tension": (
            "Be careful with money: impulsive spending is more likely than usual today.",
            "Double-check bills and terms: a catch may hide in the details.",
            "Do not lend or take risks: the day suits saving, not betting.",
        ),
        "neutral": (
            "Financially a calm day: a good moment to bring order to your spending.",
            "Small expenses add up to a noticeable sum, so take a look at your statement.",
            "A good time to think through your money plans for the week ahead.",
        ),
    },
}

FOCUS = {
    "love": {
        5: (
            "It is a day for romance: dates, flirting and shared pleasures.",
            "Your heart is open to something new, so do not turn down invitations.",
        ),
        7: (
            "Your partner is at the centre of your attention today: talk over your plans together.",
            "An honest conversation between equals will do your relationship good.",
        ),
        8: (
            "Feelings run deeper than usual: closeness is built on trust, not on words.",
            "A good day for openness, but only with those you trust.",
        ),
        11: (
            "Affection may grow out of friendship: take a closer look at the people around you.",
            "Shared interests bring people together: spend time in company where you feel good.",
        ),
    },
    "work": {
        3: (
            "Correspondence and negotiations come easily: send the important emails.",
            "A good day for presentations, calls and approvals.",
        ),
        6: (
            "The day suits everyday tasks: clear the backlog and put your to-do list in order.",
            "A good day for routine, lists and small improvements at work.",
        ),
        9: (
            "Work benefits from a fresh look: learn something new or ask an expert.",
            "Anything to do with training, publishing or distant partners moves well.",
        ),
        10: (
            "Your efforts get noticed by those in charge, so show your results.",
            "A fitting time to talk about goals, promotion and new responsibilities.",
        ),
    },
    "health": {
        1: (
            "How you feel depends largely on sleep and mood: take care of yourself from the morning.",
            "A good day to start something for your body: a new workout or routine.",
        ),
        6: (
            "Now is the time to sort out your routine: food, sleep, movement.",
            "A good day for prevention and healthy habits.",
        ),
        12: (
            "Your body needs rest: go to bed earlier and do not take on too much.",
            "Quiet and solitude restore you better than anything else today.",
        ),
    },
    "money": {
        2: (
            "A good day to go over your budget and decide what to save for.",
            "You may spend on comfort: choose quality over quantity.",
        ),
        8: (
            "Loans, taxes and shared money are best handled calmly and by the paperwork today.",
            "A good day to agree with your partner on how to split expenses.",
        ),
        10: (
            "Money may come through work and reputation: remind people of what you have achieved.",
            "A fitting time to discuss pay or a bonus.",
        ),
        11: (
            "Connections can bring financial benefit: a friend's advice may pay off.",
            "A good time to plan big goals and save for a dream.",
        ),
    },
}

ASPECT_EFFECT = {
    "love": {
        "soft": (
            "softens the mood and helps you grow closer",
            "invites tenderness and compliments",
            "makes this a good day for making up and for dates",
        ),
        "hard": (
            "may stir up jealousy or hurt feelings, so do not take everything personally",
            "adds passion, but also reasons to argue",
            "tests the relationship: do not ask too much of your partner",
        ),
        "conj": (
            "intensifies feelings, and the day will be remembered",
            "brings desire and action together: show your interest boldly",
            "opens a new page in a relationship",
        ),
    },
    "work": {
        "soft": (
            "helps you see agreements and paperwork through",
            "supports clear thinking and productive talks",
            "makes teamwork and approvals easier",
        ),
        "hard": (
            "may bring delays and disputes, so double-check the details",
            "calls for discipline: do not scatter your efforts",
            "can set interests against each other, so stick to the facts",
        ),
        "conj": (
            "concentrates your energy on a single task, so pick the main one",
            "gives momentum to a new project",
            "makes the day important for work decisions",
        ),
    },
    "money": {
        "soft": (
            "favours good purchases and deals",
            "helps you find a sensible balance between spending and saving",
            "may bring a pleasant financial surprise",
        ),
        "hard": (
            "warns against the temptation to overspend",
            "calls for caution with promises about money",
            "may expose weak spots in the budget, which is useful to know",
        ),
        "conj": (
            "brings money matters to the fore",
            "hints at a new source of income",
            "makes the day significant for financial decisions",
        ),
    },
    "health": {
        "soft": (
            "adds energy and stamina",
            "helps you recover and find your rhythm",
            "supports activity without overload",
        ),
        "hard": (
            "may turn into tiredness or irritability, so slow down",
            "raises the risk of small injuries: do not rush",
            "asks you to treat yourself gently",
        ),
        "conj": (
            "brings a surge of energy: put it into movement",
            "concentrates your strength, but do not burn out",
            "makes the day right for a bold start to training",
        ),
    },
}

RETROGRADE = {
    "mercury": (
        "Mercury is retrograde: reread messages before sending them and keep copies of documents.",
        "Retrograde Mercury asks you not to sign anything important in a hurry and to double-check the details.",
    ),
    "venus": (
        "Venus is retrograde: the past may make itself felt in relationships, so do not rush into new commitments.",
        "Retrograde Venus is a time to work out what you truly value rather than to dive into a new romance.",
    ),
    "mars": (
        "Mars is retrograde: energy turns inward, so avoid sudden heavy exertion.",
        "Retrograde Mars advises finishing what you started rather than picking new fights.",
    ),
    "jupiter": (
        "Jupiter is retrograde: growth happens from within, so review your financial goals before expanding.",
        "Retrograde Jupiter suggests protecting what you already have rather than chasing more.",
    ),
    "saturn": (
        "Saturn is retrograde: old obligations need attention, so tie up loose ends.",
        "Retrograde Saturn tests earlier decisions: rework them before moving on.",
    ),
}

TIP = {
    1: (
        "Start the morning with whatever makes you feel like yourself: favourite music, a walk, coffee in quiet.",
        "Refresh something in your look or wardrobe: it will lift your mood.",
        "Write down one wish for today and grant it to yourself.",
    ),
    2: (
        "Check your subscriptions and automatic payments, and cancel one you do not need.",
        "Put aside a small sum, even a symbolic one.",
        "Buy one good-quality thing instead of several random ones.",
    ),
    3: (
        "Message someone you have been thinking about.",
        "Read ten pages of a good book.",
        "Take a new route on your walk: fresh thoughts come on the way.",
    ),
    4: (
        "Tidy one corner of your home.",
        "Call your parents or older relatives.",
        "Cook dinner for your loved ones, or for yourself, but with pleasure.",
    ),
    5: (
        "Do something just for joy, with no purpose and no report.",
        "Plan a meeting with someone you like.",
        "Spend at least fifteen minutes on something creative.",
    ),
    6: (
        "Make a list of three main tasks and add nothing more to it.",
        "Drink an extra glass of water and do a short stretch.",
        "Clear your desk or your inbox.",
    ),
    7: (
        "Ask your partner or a friend how you can help.",
        "Before arguing, restate the other person's view in your own words.",
        "Put an important agreement in writing.",
    ),
    8: (
        "Let go of one old grudge or one thing you do not need.",
        "Check the paperwork on shared money.",
        "Trust your intuition in one small decision.",
    ),
    9: (
        "Learn something new: a lecture, an article, a language lesson.",
        "Sketch a plan for a future trip, even if it is only a dream for now.",
        "Look at a familiar task through a beginner's eyes.",
    ),
    10: (
        "Take one step towards a big goal and mark it.",
        "Write a short list of your achievements: it will come in handy.",
        "Dress a little more formally than usual: it adds confidence.",
    ),
    11: (
        "Meet friends or write to the group chat.",
        "Offer help with a shared cause.",
        "Write down three dreams for the coming year.",
    ),
    12: (
        "Set aside an hour of quiet without your phone.",
        "Go to bed half an hour earlier.",
        "Finish one task that has been hanging over you.",
    ),
}

# Health by the Moon's phase, when no other fact speaks to the section.
PHASE_HEALTH = {
    "new": (
        "Your energy is lower than usual today: do not schedule heavy exertion.",
        "A good moment to start a healthy habit, at a gentle pace.",
    ),
    "waxing": (
        "This is a good time to get into shape: new exercise comes more easily.",
        "Your body responds well to movement: add a little activity.",
    ),
    "full": (
        "Sleep can be restless around the full moon: skip heavy food and screens in the evening.",
        "Emotions are running high: drink more water and do not overstrain yourself.",
    ),
    "waning": (
        "The body lets go of excess more easily now: a good day for light meals.",
        "This is a time for recovery rather than records.",
    ),
}

TRANSIT_FACT = "Today {planet} forms {target}"
TRANSIT_FACT_CONJUNCTION = "Today {planet} is conjunct {natal}"
TRANSIT_PEAK = ", exact at {time}"
TRANSIT_HOUSE = "It plays out in your {ordinal} house: {topic}."
TRANSIT_EFFECT = "This transit {effect}."
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
AREA = "In focus: {area}."
SKY_LINE = "The Moon is {moon_in} today; phase: {phase}."
