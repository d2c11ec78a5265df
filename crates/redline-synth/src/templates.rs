//! The pieces drafts are made of: people, companies, and sentences in each voice.
//!
//! Templates use `{placeholders}` filled from one [`Ctx`] per draft, so a draft stays
//! consistent (the prospect's company, city and numbers do not change halfway through).
//! An unknown placeholder panics, and the tests generate enough drafts to reach every template.

use std::fmt::Write as _;

use crate::{Draft, Rng, Voice};

// ---------------------------------------------------------------------------------------------
// People, places, products
// ---------------------------------------------------------------------------------------------

/// Prospects' first names; a few are not ASCII on purpose.
const FIRST_NAMES: &[&str] = &[
    "Dana", "Priya", "Sam", "Marcus", "Elena", "Tomás", "Aiko", "Jordan", "Fatima", "Chris",
    "Noor", "Ben", "Zoë", "Ravi", "Lena", "Kwame", "Hannah", "Diego", "Mei", "Oskar", "Siobhán",
    "Jonas", "Grace", "Amara", "Luis", "Ingrid", "Yusuf", "Claire",
];

/// Senders' first names.
const SENDERS: &[&str] = &[
    "Alex", "Jamie", "Morgan", "Riley", "Casey", "Taylor", "Robin", "Quinn", "Nico", "Avery",
    "Sasha", "Drew",
];

/// Senders' last names, for the longer signatures.
const SENDER_LAST: &[&str] = &[
    "Moreno",
    "Chen",
    "Okafor",
    "Lindqvist",
    "Patel",
    "Byrne",
    "Novak",
    "Haddad",
    "Kimura",
    "Fischer",
];

/// Prospect companies with their industry, so a logistics firm is not sold a hospital tool.
const COMPANIES: &[(&str, &str)] = &[
    ("Northwind", "logistics"),
    ("Brightline Freight", "logistics"),
    ("Acme Rail", "logistics"),
    ("Contoso", "SaaS"),
    ("Hooli", "SaaS"),
    ("Pied Piper", "SaaS"),
    ("Initech", "fintech"),
    ("Kestrel Bank", "fintech"),
    ("Umbrella Health", "healthcare"),
    ("Halcyon Care", "healthcare"),
    ("Globex", "manufacturing"),
    ("Cyberdyne", "manufacturing"),
    ("Vandelay", "retail"),
    ("Harbor & Pine", "retail"),
    ("Bluth Construction", "construction"),
    ("Stark Build", "construction"),
    ("Meridian Insurance", "insurance"),
    ("Fernhill College", "education"),
    ("Wayne Dairy", "food and beverage"),
    ("Tidewater Hotel Group", "hospitality"),
];

/// Other companies, named as customers, referrers or peers.
const PEERS: &[&str] = &[
    "Globex",
    "Northwind",
    "Initech",
    "Contoso",
    "Acme Rail",
    "Halcyon Care",
    "Vandelay",
    "Oscorp",
    "Soylent",
    "Massive Dynamic",
    "Tyrell",
    "Dunder Mifflin",
];

const CITIES: &[&str] = &[
    "Denver", "Austin", "Leeds", "Lyon", "Toronto", "Raleigh", "Porto", "Tempe", "Kraków",
    "Dublin", "Columbus", "Malmö",
];

/// What the sender sells.
const PRODUCTS: &[&str] = &[
    "Relay",
    "Tally",
    "Beacon",
    "Ledgerline",
    "Shiftwise",
    "Dockyard",
    "Quill",
    "Keel",
];

const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "September",
    "October",
    "November",
];

/// Everything one draft's templates can refer to.
struct Ctx {
    first: &'static str,
    company: &'static str,
    industry: &'static str,
    city: &'static str,
    peer: &'static str,
    referrer: &'static str,
    product: &'static str,
    day: &'static str,
    month: &'static str,
    sender: &'static str,
    sender_last: &'static str,
    /// A team size: reps hired, trucks added, days to close.
    n: usize,
    /// A weekly volume: jobs, quotes, tickets.
    big: usize,
    pct: usize,
    pct2: usize,
    weeks: usize,
    months: usize,
    errors_before: usize,
    errors_after: usize,
    hours: usize,
}

impl Ctx {
    fn new(rng: &mut Rng) -> Ctx {
        let &(company, industry) = rng.pick(COMPANIES);
        let mut peer = *rng.pick(PEERS);
        while peer == company {
            peer = *rng.pick(PEERS);
        }
        let first = *rng.pick(FIRST_NAMES);
        let mut referrer = *rng.pick(FIRST_NAMES);
        while referrer == first {
            referrer = *rng.pick(FIRST_NAMES);
        }
        Ctx {
            first,
            company,
            industry,
            city: rng.pick::<&str>(CITIES),
            peer,
            referrer,
            product: rng.pick::<&str>(PRODUCTS),
            day: rng.pick::<&str>(DAYS),
            month: rng.pick::<&str>(MONTHS),
            sender: rng.pick::<&str>(SENDERS),
            sender_last: rng.pick::<&str>(SENDER_LAST),
            n: 3 + rng.below(10),
            big: 10 * (6 + rng.below(35)),
            pct: 12 + rng.below(30),
            pct2: 20 + rng.below(40),
            weeks: 3 + rng.below(6),
            months: 3 + rng.below(4),
            errors_before: 8 + rng.below(13),
            errors_after: rng.below(3),
            hours: 2 + rng.below(5),
        }
    }

    /// Appends the value of `{key}` to `out`.
    fn push(&self, key: &str, out: &mut String) {
        let text = match key {
            "first" => self.first,
            "company" => self.company,
            "industry" => self.industry,
            "city" => self.city,
            "peer" => self.peer,
            "referrer" => self.referrer,
            "product" => self.product,
            "day" => self.day,
            "month" => self.month,
            "sender" => self.sender,
            "sender_last" => self.sender_last,
            _ => {
                let n = match key {
                    "n" => self.n,
                    "big" => self.big,
                    "pct" => self.pct,
                    "pct2" => self.pct2,
                    "weeks" => self.weeks,
                    "months" => self.months,
                    "errors_before" => self.errors_before,
                    "errors_after" => self.errors_after,
                    "hours" => self.hours,
                    _ => panic!("unknown template placeholder {{{key}}}"),
                };
                let _ = write!(out, "{n}");
                return;
            }
        };
        out.push_str(text);
    }

    /// `template` with its `{placeholders}` filled.
    fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .unwrap_or_else(|| panic!("unclosed placeholder in {template:?}"));
            self.push(&after[..close], &mut out);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// One of `templates`, filled.
    fn pick(&self, rng: &mut Rng, templates: &[&str]) -> String {
        self.fill(rng.pick::<&str>(templates))
    }
}

// ---------------------------------------------------------------------------------------------
// The human voice
// ---------------------------------------------------------------------------------------------

/// One reason to write, in a rep's own words: what they noticed, the problem it usually brings,
/// what a peer did about it, what the rep offers, and one plain question.
struct Scenario {
    /// What the email is about, in a few words ("ramp time").
    topic: &'static str,
    /// The prospect industries it makes sense for; empty for any.
    industries: &'static [&'static str],
    subjects: &'static [&'static str],
    openings: &'static [&'static str],
    problems: &'static [&'static str],
    proofs: &'static [&'static str],
    offers: &'static [&'static str],
    asks: &'static [&'static str],
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        topic: "ramp time for the new reps",
        industries: &[
            "SaaS",
            "fintech",
            "insurance",
            "logistics",
            "manufacturing",
            "retail",
        ],
        subjects: &[
            "{company}'s {city} team",
            "Ramp time for the new reps",
            "{n} new reps in {city}",
            "New {city} office",
        ],
        openings: &[
            "Saw your team just opened the {city} office — congrats.",
            "Saw the {city} office on your careers page, and that you're hiring {n} reps for it. Congrats, that's a big quarter.",
            "Your job post for {n} account executives in {city} caught my eye.",
            "Congrats on the {city} office. Hiring {n} reps in one city is a lot of onboarding.",
        ],
        problems: &[
            "When a team grows that fast, ramp is usually what hurts. At my last company new reps took about {months} months to book a first meeting, and the managers spent most of that time on ride-alongs.",
            "The hard part of a new office is rarely the hiring. It's the first {months} months, when the new reps are on payroll but nobody has had time to teach them how {industry} buyers think.",
        ],
        proofs: &[
            "{peer} had the same problem last year. They started giving each new rep recordings of real calls from their own territory, and ramp went from {months} months to {weeks} weeks.",
            "{peer} hired {n} reps at once in {month}. Their new people booked a first meeting in week {weeks} instead of month {months}, mostly because they could hear how the best reps handled pricing questions.",
        ],
        offers: &[
            "{product} is the tool they used. It's a library of your own team's best calls, tagged by stage and objection, so a new rep can hear how a colleague handled the exact question they're stuck on.",
            "Happy to send you the one-page write-up of what {peer} changed. No deck, just what they did week by week and what they'd skip next time.",
        ],
        asks: &[
            "Worth a call {day}?",
            "Is ramp on your list this quarter, or is hiring the bigger problem right now?",
            "Worth 20 minutes on {day}, or is it too early for you?",
            "Should I send the write-up?",
        ],
    },
    Scenario {
        topic: "quoting",
        industries: &[
            "manufacturing",
            "logistics",
            "construction",
            "insurance",
            "food and beverage",
            "SaaS",
        ],
        subjects: &[
            "Quotes at {company}",
            "{peer}'s quoting numbers",
            "{product} for {company}?",
            "Idea for the pricing team",
        ],
        openings: &[
            "A friend at {company} mentioned your team is rebuilding how it does quotes.",
            "Your post about quote turnaround in {industry} stuck with me. Three days per quote is a long time to keep a buyer waiting.",
            "Noticed {company} posted a role for a pricing analyst in {city}.",
        ],
        problems: &[
            "Most teams your size quote from a spreadsheet someone updates by hand. It works until two reps have two versions and a customer gets a price you stopped offering in {month}.",
            "Quotes tend to slow down at the approval step. A discount goes to a manager by email, sits there for a day, and the buyer starts talking to someone else.",
        ],
        proofs: &[
            "{peer}'s {city} team had {errors_before} quote errors a week in the spring. After a month on {product} they had {errors_after}.",
            "{peer} cut their average quote time from three days to {hours} hours, mostly by taking the approval step out of email.",
        ],
        offers: &[
            "{product} pulls the current price list into every quote and flags any discount past the rep's limit. It's not for everyone: if your quotes already come out of the CRM cleanly, it won't add much.",
            "Happy to send the two-page write-up from {peer}. It has the before and after numbers, and what they'd do differently.",
        ],
        asks: &[
            "Who owns quoting on your side? I'd rather ask them than guess.",
            "Would the write-up be useful?",
            "Worth a look on {day}?",
            "Is this on your list for the year, or should I check back in the autumn?",
        ],
    },
    Scenario {
        topic: "dispatch",
        industries: &[
            "logistics",
            "construction",
            "manufacturing",
            "food and beverage",
        ],
        subjects: &[
            "The {city} route",
            "Dispatch at {company}",
            "Your panel comment on dispatch",
        ],
        openings: &[
            "Your comment on the {industry} panel about dispatch delays stuck with me.",
            "Read that {company} added {n} crews to the {city} area this spring.",
            "Saw {company} now covers {city}. That's a long way from the yard.",
        ],
        problems: &[
            "When routes grow, the schedule usually still lives in one dispatcher's head. Every sick day turns into an afternoon of phone calls.",
            "More crews means more last-minute swaps, and the board gets rebuilt by hand every morning. That's where the overtime goes.",
        ],
        proofs: &[
            "{peer} runs about {big} jobs a week out of two yards. Their dispatchers used to spend the first {hours} hours of the day rebuilding the board. Now it takes them twenty minutes.",
            "{peer} had the same growth last year and cut overtime by {pct}% in a quarter, without hiring another dispatcher.",
        ],
        offers: &[
            "{product} takes the job list and the crew calendar and proposes a board. The dispatcher still makes the call; they just start from a draft instead of a blank sheet.",
            "I can show you the board {peer} uses. It's easier to judge on screen than in an email.",
        ],
        asks: &[
            "Is scheduling something you're working on this year?",
            "Could I show you the {peer} board on {day}?",
            "Worth a call {day}?",
        ],
    },
    Scenario {
        topic: "renewals",
        industries: &["SaaS", "fintech", "insurance"],
        subjects: &[
            "Your renewals hire",
            "Churn at {company}",
            "Your talk in {city}",
        ],
        openings: &[
            "Noticed {company} is hiring its first renewals manager. That usually means churn got someone's attention.",
            "Your talk at the {city} meetup on renewals was the most honest one I've heard on the subject.",
            "Saw your post about renewals season at {company}. {big} contracts in one quarter is a lot to cover.",
        ],
        problems: &[
            "The accounts that leave rarely say so. Usage drops for a couple of months first, and by the time the renewal call happens the decision is made.",
            "Most teams find out an account is at risk when the renewal notice bounces back. By then the budget has gone somewhere else.",
        ],
        proofs: &[
            "{peer} started flagging any account whose weekly logins fell by half. Their account managers called those customers first, and churn fell {pct}% in two quarters.",
            "{peer} had the same setup. Once they could see which accounts had gone quiet, they saved {n} renewals in the first quarter that they'd have lost.",
        ],
        offers: &[
            "{product} does that flagging from the product data you already have. Setup took {peer} about a week.",
            "Happy to send the list of signals {peer} tracks. It's short, and you could build it yourselves.",
        ],
        asks: &[
            "Is churn the reason for the hire, or is it growth?",
            "Want me to send what {peer} tracks?",
            "Worth a call {day} afternoon?",
        ],
    },
    Scenario {
        topic: "the month-end close",
        industries: &[],
        subjects: &[
            "Month-end at {company}",
            "Your post on the close",
            "Receipts",
        ],
        openings: &[
            "Your post about month-end running into its third week at {company} got a laugh out of our finance lead. She's been there.",
            "Saw {company} just moved to a new ERP. Congrats on getting through it.",
            "Heard from {referrer} that your finance team is closing the books in {city} now.",
        ],
        problems: &[
            "The close usually slows down in the same place: matching card spend and invoices by hand. It's slow work and nobody wants to own it.",
            "After an ERP move the first few closes tend to run long, because half the matching rules didn't make it across.",
        ],
        proofs: &[
            "{peer}'s finance team used to close in about two weeks. In {month} they closed in {weeks} days, and the only change was matching receipts automatically.",
            "{peer}'s accountants got back about {hours} hours a week each once the matching ran on its own, and the close stopped spilling into the next month.",
        ],
        offers: &[
            "{product} reads receipts and invoices and matches them to the ledger. Anything it's not sure about goes to a person.",
            "I can send you the checklist {peer} used for their first three closes. It's free either way.",
        ],
        asks: &[
            "Is the close something you'd change this year?",
            "Should I send the {peer} numbers?",
            "Worth a call {day}?",
        ],
    },
    Scenario {
        topic: "weekend staffing",
        industries: &[
            "hospitality",
            "healthcare",
            "retail",
            "education",
            "food and beverage",
        ],
        subjects: &[
            "Weekend shifts in {city}",
            "Rotas at {company}",
            "Shift swaps",
        ],
        openings: &[
            "Saw {company} is opening a second site in {city} in {month}. Congrats.",
            "Your interview in the trade press about weekend staffing was spot on.",
            "{referrer} at {peer} said you're the one building the rota for the new {city} site.",
        ],
        problems: &[
            "A new site usually means the rota goes back to a spreadsheet and a group chat. Swaps get lost, and someone works a double they didn't agree to.",
            "Weekend gaps are the expensive ones. They get filled at agency rates, often on a Friday afternoon.",
        ],
        proofs: &[
            "{peer} moved {big} staff onto shared rotas last year. Agency spend fell {pct}% and managers stopped spending Fridays on the phone.",
            "{peer} had {n} sites on spreadsheets. Once staff could swap shifts themselves, unfilled weekend shifts dropped to almost none.",
        ],
        offers: &[
            "{product} is a rota that staff can see and swap on their phones, with the manager approving. Nothing clever, it just keeps everyone on one copy.",
            "Happy to share the rota template {peer} started with, even if you don't use us.",
        ],
        asks: &[
            "Who looks after the rota at {company}?",
            "Worth a call {day}?",
            "Would the template help?",
        ],
    },
];

/// A friendly line some reps open with before the reason they're writing.
const HUMAN_REFERRALS: &[&str] = &[
    "{referrer} at {peer} suggested I write to you.",
    "{referrer} mentioned you two worked together at {peer}.",
    "Good to meet you at the {city} meetup in {month}.",
];

/// A second note in the rep's voice: short, no pressure, an easy out.
const HUMAN_BUMPS: &[&str] = &[
    "One more note on {topic}, then I'll leave you be.",
    "Sending this once more in case it got buried.",
    "Last note from me on {topic}. If it's not a priority, no problem at all; tell me and I'll stop.",
];

/// An honest aside some reps add before the question.
const HUMAN_ASIDES: &[&str] = &[
    "Full disclosure: I sell {product}, so I'm biased. Happy to put you in touch with a customer instead of asking you to take my word for it.",
    "If this is the wrong month for you, say so and I'll come back after {month}.",
    "If someone else on your team owns this, a name is plenty.",
    "No deck needed. I can show you the real thing on a screen share, and you'll know in ten minutes whether it fits.",
    "No idea whether this is a priority for you right now, so tell me if the guess is wrong.",
];

const HUMAN_BUMP_ASKS: &[&str] = &[
    "Worth a conversation about {topic} this quarter?",
    "Should I close the loop on this?",
    "Is there someone else I should ask?",
];

/// A draft in a rep's own voice: specific, short, one plain question.
pub fn human(rng: &mut Rng) -> Draft {
    let c = Ctx::new(rng);
    let fitting: Vec<&Scenario> = SCENARIOS
        .iter()
        .filter(|s| s.industries.is_empty() || s.industries.contains(&c.industry))
        .collect();
    let s = *rng.pick(&fitting);
    let bump = rng.chance(0.1);
    let mut subject = c.pick(rng, s.subjects);
    let mut paragraphs = vec![format!("Hi {},", c.first)];

    if bump {
        subject = format!("Re: {subject}");
        let line = rng.pick(HUMAN_BUMPS).replace("{topic}", s.topic);
        paragraphs.push(c.fill(&line));
        paragraphs.push(c.pick(rng, s.proofs));
        paragraphs.push(c.pick(rng, s.offers));
        let ask = rng.pick(HUMAN_BUMP_ASKS).replace("{topic}", s.topic);
        paragraphs.push(c.fill(&ask));
    } else {
        let mut opening = String::new();
        let reason = *rng.pick(s.openings);
        // A referral line, unless the reason already names who sent the rep.
        if rng.chance(0.25) && !reason.contains("{referrer}") {
            opening.push_str(&c.pick(rng, HUMAN_REFERRALS));
            opening.push(' ');
        }
        opening.push_str(&c.fill(reason));
        paragraphs.push(opening);
        // One to three body paragraphs, in order: the problem, the proof, the offer.
        let keep = match rng.below(10) {
            0 => 1,
            1..=3 => 2,
            _ => 3,
        };
        let mut slots = vec![s.problems, s.proofs, s.offers];
        while slots.len() > keep {
            slots.remove(rng.below(slots.len()));
        }
        for slot in slots {
            paragraphs.push(c.pick(rng, slot));
        }
        if rng.chance(0.45) {
            paragraphs.push(c.pick(rng, HUMAN_ASIDES));
        }
        paragraphs.push(c.pick(rng, s.asks));
    }

    let sign_off = match rng.below(20) {
        0..=10 => format!("Best,\n{}", c.sender),
        11..=14 => format!("Thanks,\n{}", c.sender),
        15..=16 => format!("Cheers,\n{}", c.sender),
        _ => c.sender.to_string(),
    };
    let width = if rng.chance(0.6) { Some(72) } else { None };
    let curly = rng.chance(0.15);
    Draft {
        subject,
        body: assemble(paragraphs, width, &sign_off, curly),
        voice: Voice::Human,
    }
}

// ---------------------------------------------------------------------------------------------
// The corporate-AI voice
// ---------------------------------------------------------------------------------------------

const AI_SUBJECTS: &[&str] = &[
    "Quick question",
    "Unlocking growth for {company}",
    "Streamlining {company}'s sales process",
    "Partnership opportunity",
    "Touching base",
    "Revolutionize your {industry} workflow",
    "Exciting opportunity for {company}",
    "{product} x {company}",
    "Helping {company} drive revenue growth",
    "Quick call?",
    "Transform your {industry} operations",
    "Take {company}'s pipeline to the next level",
];

const AI_FOLLOW_UP_SUBJECTS: &[&str] = &["Following up", "Checking in", "Re: Quick question"];

const AI_GREETINGS: &[&str] = &[
    "Hi {first},",
    "Hi {first},",
    "Hello {first},",
    "Dear {first},",
];

const AI_PLEASANTRIES: &[&str] = &[
    "I hope this email finds you well.",
    "I hope this message finds you well.",
    "I hope you’re having a great week.",
    "I hope this finds you well.",
    "I hope this note finds you well!",
    "Hope this email finds you well.",
    "I hope your week is off to a great start.",
    "I trust this email finds you well.",
];

const AI_CONTEXT: &[&str] = &[
    "In today’s fast-paced environment, {industry} leaders like you are under more pressure than ever.",
    "In today's fast\u{2011}paced business environment, teams need to move faster than ever.",
    "Navigating the current landscape of {industry} is more challenging than ever.",
    "As the {industry} landscape continues to evolve, companies like {company} need to stay ahead of the curve.",
    "In today's ever-evolving digital landscape, staying competitive is more important than ever.",
    "In an increasingly competitive market, {industry} teams need every advantage they can get.",
    "Now more than ever, revenue leaders in {industry} are being asked to do more with less.",
];

const AI_INTRODUCTIONS: &[&str] = &[
    "I wanted to reach out because {product} helps companies like {company} leverage AI to streamline their sales process.",
    "I’m reaching out to introduce {product}, a cutting-edge platform that empowers revenue teams to do more with less.",
    "I wanted to reach out to see if {company} is looking to unlock the full potential of its pipeline.",
    "I just wanted to\nreach out because we help {industry} teams drive meaningful results.",
    "My name is {sender} and I'm reaching out from {product}, the leading AI-powered platform for {industry} sales teams.",
    "I came across your profile on LinkedIn and was really impressed by your work at {company}, so I thought I'd reach out.",
    "I am writing to introduce {product}, an innovative solution designed to help {industry} companies like {company} thrive.",
];

/// The follow-up opener, used instead of an introduction on a second touch.
const AI_FOLLOW_UPS: &[&str] = &[
    "I just wanted to follow up on my previous email about {product}.",
    "Just following up on my last note, as I know things can get busy!",
    "I wanted to circle back on my previous email regarding {company}'s sales process.",
    "Bumping this to the top of your inbox in case it got buried.",
    "Just checking in to see if you had a chance to review my previous email.",
];

const AI_PAINS: &[&str] = &[
    "We understand that {industry} leaders like you are constantly looking for ways to optimize your workflows and maximize efficiency.",
    "I know you're busy, so I'll keep this brief.",
    "Many {industry} organizations struggle with disconnected tools, manual processes and a lack of visibility into their pipeline.",
    "As a leader at {company}, you know how critical it is to empower your team with the right tools.",
];

const AI_VALUE: &[&str] = &[
    "At {product}, we help {industry} companies leverage cutting-edge AI to streamline their sales process, unlock actionable insights and drive meaningful results.",
    "Our innovative platform seamlessly integrates with your existing tech stack, empowering your team to focus on what matters most: building relationships and closing deals.",
    "Whether you’re looking to scale your outreach, improve forecast accuracy or take your pipeline to the next level, {product} has you covered.",
    "{product} is an end-to-end solution that helps forward-thinking organizations harness the power of data to accelerate revenue growth.",
];

const AI_PROOF: &[&str] = &[
    "Companies like {peer} have already seen a {pct}% increase in pipeline and a {pct2}% reduction in admin time after partnering with us.",
    "It's a game-changer for teams looking to maximize efficiency and drive synergies across departments.",
    "Our robust, end-to-end solution has helped companies like yours achieve transformative results.",
    "We pride ourselves on being a world-class partner for forward-thinking organizations, and our customers consistently rate us best-in-class.",
];

const AI_BULLET_INTROS: &[&str] = &[
    "With our platform, you can:",
    "With our platform, you can:",
    "Our platform helps you:",
    "With {product}, your team can:",
    "Here’s how we can help:",
];

/// A second touch pastes the list again.
const AI_RECAP_INTROS: &[&str] = &[
    "As a quick recap, with {product} you can:",
    "Just to recap, our platform helps you:",
];

const AI_BULLETS: &[&str] = &[
    "Unlock actionable insights from every customer interaction",
    "Seamlessly integrate with your existing CRM",
    "Empower reps to close more deals, faster",
    "Streamline your workflows with AI-powered automation",
    "Leverage real-time analytics to optimize performance",
    "Drive revenue growth with best-in-class forecasting",
    "Boost productivity by up to {pct2}%",
    "Personalize outreach at scale",
    "Gain full visibility into your pipeline",
    "Eliminate manual data entry for good",
];

const AI_AFTER_BULLETS: &[&str] = &[
    "And that’s just the beginning!",
    "The best part? Setup takes less than a day.",
    "All of this is backed by our world-class support team.",
];

/// Calls to action; every one of them is a tell.
const AI_CTAS: &[&str] = &[
    "Would you be open to a quick 15-minute call next week?",
    "Would you be open to a quick 15-minute chat to explore how we can help?",
    "Do you have 15 minutes this week for a quick call?",
    "Would you be available for a quick 30-minute call to discuss further?",
    "Would you be open to a quick 15-minute call to explore how {product} can help {company} achieve its goals?",
    "Are you available for a brief 20-minute chat this week or next?",
    "Would it make sense to schedule a quick 15-minute call on {day}?",
    "Would you be open to a quick call on {day} to explore potential synergies?",
];

const AI_CLOSERS: &[&str] = &[
    "I look forward to hearing from you.",
    "Please don't hesitate to reach out if you have any questions.",
    "Looking forward to connecting!",
    "I’m looking forward to your reply.",
    "Feel free to reach out anytime.",
    "Thank you for your time and consideration. I look forward to hearing from you.",
];

/// A draft in the corporate-AI voice, lightly edited: the patterns prospects recognise.
pub fn corporate_ai(rng: &mut Rng) -> Draft {
    let c = Ctx::new(rng);
    let follow_up = rng.chance(0.15);
    let subject = if follow_up && rng.chance(0.7) {
        c.pick(rng, AI_FOLLOW_UP_SUBJECTS)
    } else {
        c.pick(rng, AI_SUBJECTS)
    };
    let mut paragraphs = vec![c.pick(rng, AI_GREETINGS)];

    // The opening: a pleasantry, maybe the state of the industry, then why I'm writing.
    let mut opening = Vec::new();
    if follow_up {
        if rng.chance(0.7) {
            opening.push(c.pick(rng, AI_PLEASANTRIES));
        }
        opening.push(c.pick(rng, AI_FOLLOW_UPS));
    } else {
        if rng.chance(0.85) {
            opening.push(c.pick(rng, AI_PLEASANTRIES));
        }
        if rng.chance(0.6) {
            opening.push(c.pick(rng, AI_CONTEXT));
        }
        opening.push(c.pick(rng, AI_INTRODUCTIONS));
    }
    paragraphs.push(opening.join(" "));

    // One to three body paragraphs (a second touch gets one).
    let body_count = match (follow_up, rng.below(20)) {
        (true, _) | (false, 0..=3) => 1,
        (false, 4..=12) => 2,
        (false, _) => 3,
    };
    let mut pools = vec![AI_PAINS, AI_VALUE, AI_PROOF];
    while pools.len() > body_count {
        pools.remove(rng.below(pools.len()));
    }
    for pool in pools {
        let mut paragraph = c.pick(rng, pool);
        if rng.chance(0.4) {
            paragraph.push(' ');
            paragraph.push_str(&c.pick(rng, AI_PROOF));
        }
        paragraphs.push(paragraph);
    }

    // The feature list.
    if rng.chance(if follow_up { 0.4 } else { 0.65 }) {
        let intros = if follow_up {
            AI_RECAP_INTROS
        } else {
            AI_BULLET_INTROS
        };
        // A list is not wrapped: the mark tells `assemble` to leave it alone.
        let mut list = format!("{LIST_MARK}{}", c.pick(rng, intros));
        if rng.chance(0.5) {
            list.push('\n');
        }
        let count = 3 + rng.below(3);
        for item in sample(rng, AI_BULLETS, count) {
            list.push_str("\n- ");
            list.push_str(&c.fill(item));
        }
        paragraphs.push(list);
        if rng.chance(0.3) {
            paragraphs.push(c.pick(rng, AI_AFTER_BULLETS));
        }
    }

    paragraphs.push(c.pick(rng, AI_CTAS));
    if rng.chance(0.8) {
        paragraphs.push(c.pick(rng, AI_CLOSERS));
    }

    let sign_off = match rng.below(20) {
        0..=7 => format!("Best,\n{}", c.sender),
        8..=14 => format!(
            "Best regards,\n{} {}\nAccount Executive | {}",
            c.sender, c.sender_last, c.product
        ),
        15..=17 => format!("Warm regards,\n{} {}", c.sender, c.sender_last),
        _ => format!("Kind regards,\n{}", c.sender),
    };
    let width = if rng.chance(0.5) { Some(76) } else { None };
    let curly = rng.chance(0.35);
    Draft {
        subject,
        body: assemble(paragraphs, width, &sign_off, curly),
        voice: Voice::CorporateAi,
    }
}

// ---------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------

/// Starts a paragraph that must not be re-wrapped (a bullet list).
const LIST_MARK: char = '\u{0}';

/// `k` distinct items of `pool` (fewer if the pool is smaller), in random order.
fn sample<'a>(rng: &mut Rng, pool: &[&'a str], k: usize) -> Vec<&'a str> {
    let mut items = pool.to_vec();
    let k = k.min(items.len());
    for i in 0..k {
        let j = i + rng.below(items.len() - i);
        items.swap(i, j);
    }
    items.truncate(k);
    items
}

/// The body: paragraphs separated by blank lines, prose wrapped at `width` columns if given,
/// then the sign-off; straight apostrophes made curly if `curly`.
fn assemble(paragraphs: Vec<String>, width: Option<usize>, sign_off: &str, curly: bool) -> String {
    let mut body = String::new();
    for p in paragraphs {
        match (p.strip_prefix(LIST_MARK), width) {
            (Some(list), _) => body.push_str(list),
            (None, Some(w)) => body.push_str(&wrap(&p, w)),
            (None, None) => body.push_str(&p),
        }
        body.push_str("\n\n");
    }
    body.push_str(sign_off);
    body.push('\n');
    if curly {
        body = body.replace('\'', "’");
    }
    body
}

/// Wraps prose at `width` columns, as a mail client would; existing line breaks are kept.
fn wrap(s: &str, width: usize) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut column = 0;
        for word in line.split(' ') {
            let len = word.chars().count();
            if column > 0 && column + 1 + len > width {
                out.push('\n');
                column = 0;
            } else if column > 0 {
                out.push(' ');
                column += 1;
            }
            out.push_str(word);
            column += len;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_and_width() {
        let text = "Saw your team just opened the Denver office — congrats. Worth a call Thursday?";
        let wrapped = wrap(text, 30);
        assert_eq!(wrapped.replace('\n', " "), text);
        assert!(wrapped.lines().all(|l| l.chars().count() <= 30));
        assert_eq!(
            wrap("I just wanted to\nreach out", 76),
            "I just wanted to\nreach out"
        );
    }

    #[test]
    fn sample_gives_distinct_items() {
        let mut rng = Rng::new(9);
        for k in 0..=AI_BULLETS.len() + 1 {
            let mut items = sample(&mut rng, AI_BULLETS, k);
            assert_eq!(items.len(), k.min(AI_BULLETS.len()));
            items.sort_unstable();
            items.dedup();
            assert_eq!(items.len(), k.min(AI_BULLETS.len()));
        }
    }

    #[test]
    fn every_template_fills() {
        let mut rng = Rng::new(1);
        let c = Ctx::new(&mut rng);
        let scenario_parts = SCENARIOS.iter().flat_map(|s| {
            [
                s.subjects, s.openings, s.problems, s.proofs, s.offers, s.asks,
            ]
            .into_iter()
            .flatten()
        });
        let ai_parts = [
            AI_SUBJECTS,
            AI_FOLLOW_UP_SUBJECTS,
            AI_GREETINGS,
            AI_PLEASANTRIES,
            AI_CONTEXT,
            AI_INTRODUCTIONS,
            AI_FOLLOW_UPS,
            AI_PAINS,
            AI_VALUE,
            AI_PROOF,
            AI_BULLET_INTROS,
            AI_RECAP_INTROS,
            AI_BULLETS,
            AI_AFTER_BULLETS,
            AI_CTAS,
            AI_CLOSERS,
            HUMAN_REFERRALS,
            HUMAN_ASIDES,
        ];
        for t in scenario_parts.chain(ai_parts.into_iter().flatten()) {
            let filled = c.fill(t);
            assert!(!filled.contains(['{', '}']), "{t:?} left {filled:?}");
        }
        for t in HUMAN_BUMPS.iter().chain(HUMAN_BUMP_ASKS) {
            assert!(!c.fill(&t.replace("{topic}", "quoting")).contains('{'));
        }
    }
}
