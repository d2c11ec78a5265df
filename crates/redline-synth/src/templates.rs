//! The pieces drafts are made of: names, companies, and sentences in each voice.

use crate::{Draft, Rng, Voice};

const FIRST_NAMES: &[&str] = &[
    "Dana", "Priya", "Sam", "Marcus", "Elena", "Tomás", "Aiko", "Jordan", "Fatima", "Chris",
    "Noor", "Ben", "Zoë", "Ravi", "Lena", "Kwame", "Hannah", "Diego", "Mei", "Oskar",
];

const SENDERS: &[&str] = &[
    "Alex", "Jamie", "Morgan", "Riley", "Casey", "Taylor", "Robin", "Quinn",
];

const COMPANIES: &[&str] = &[
    "Northwind",
    "Contoso",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Hooli",
    "Vandelay",
    "Stark Logistics",
    "Wayne Foods",
    "Acme Rail",
    "Bluth Homes",
    "Soylent Labs",
];

const INDUSTRIES: &[&str] = &[
    "logistics",
    "healthcare",
    "manufacturing",
    "fintech",
    "retail",
    "hospitality",
    "construction",
    "insurance",
    "education",
    "SaaS",
];

const CITIES: &[&str] = &[
    "Denver", "Austin", "Leeds", "Lyon", "Toronto", "Raleigh", "Porto", "Tempe",
];

const PRODUCTS: &[&str] = &[
    "Relay",
    "Tally",
    "Beacon",
    "Ledgerline",
    "Shiftwise",
    "Dockyard",
];

const DAYS: &[&str] = &["Tuesday", "Wednesday", "Thursday", "Friday", "Monday"];

/// Fills `{first}`, `{company}`, `{industry}`, `{city}`, `{product}`, `{day}`, `{n}`, `{sender}`.
fn fill(rng: &mut Rng, s: &str, ctx: &Ctx) -> String {
    let n = (rng.below(9) + 2).to_string();
    s.replace("{first}", ctx.first)
        .replace("{company}", ctx.company)
        .replace("{industry}", ctx.industry)
        .replace("{city}", ctx.city)
        .replace("{product}", ctx.product)
        .replace("{day}", ctx.day)
        .replace("{sender}", ctx.sender)
        .replace("{n}", &n)
}

struct Ctx {
    first: &'static str,
    company: &'static str,
    industry: &'static str,
    city: &'static str,
    product: &'static str,
    day: &'static str,
    sender: &'static str,
}

fn ctx(rng: &mut Rng) -> Ctx {
    Ctx {
        first: rng.pick::<&str>(FIRST_NAMES),
        company: rng.pick::<&str>(COMPANIES),
        industry: rng.pick::<&str>(INDUSTRIES),
        city: rng.pick::<&str>(CITIES),
        product: rng.pick::<&str>(PRODUCTS),
        day: rng.pick::<&str>(DAYS),
        sender: rng.pick::<&str>(SENDERS),
    }
}

const HUMAN_SUBJECTS: &[&str] = &[
    "{company}'s {city} team",
    "{city} office",
    "Ramp time for the new AEs",
    "Your post on {industry} hiring",
    "{product} for {company}?",
    "Idea for the {city} launch",
];

const HUMAN_OPENINGS: &[&str] = &[
    "Saw that {company} just opened the {city} office and is hiring {n} reps. Congrats.",
    "Your comment on the {industry} panel about dispatch delays stuck with me.",
    "Noticed {company} moved its support team to {city} last month.",
    "Read your piece on onboarding in {industry}. The part about week-one quotas rang true.",
    "A friend at {company} said your team is rebuilding its quoting process.",
];

const HUMAN_MIDDLES: &[&str] = &[
    "When we grew our own team that fast, ramp time hurt most: new reps took four months to book a first meeting.",
    "We cut that to six weeks by pairing each new rep with call recordings from their own territory.",
    "Two of our customers in {industry} had the same problem. Their reps were quoting from spreadsheets that nobody trusted.",
    "{product} is a small tool for exactly that. It pulls the latest price list into the quote, so nobody works from an old copy.",
    "It's not for everyone. If your quotes already come out of the CRM, it won't add much.",
    "The {city} team at Globex tried it for a month and kept it. Their quote errors dropped from {n} a week to almost none.",
    "Happy to send the two-page write-up if it's useful.",
    "No slides, just the numbers from their first quarter.",
];

const HUMAN_ASKS: &[&str] = &[
    "Worth a 20-minute look on {day}, or is ramp not the problem right now?",
    "Is this on your list for this quarter, or should I check back in the spring?",
    "Would it help if I sent the write-up first?",
    "Who on your team owns quoting? I'd rather ask them than guess.",
    "Free on {day} afternoon to compare notes?",
];

const SIGN_OFFS: &[&str] = &["Best,", "Thanks,", "Cheers,", "Talk soon,"];

/// A draft in a rep's own voice: specific, short, one plain question.
pub fn human(rng: &mut Rng) -> Draft {
    let c = ctx(rng);
    let subject_template = *rng.pick(HUMAN_SUBJECTS);
    let subject = fill(rng, subject_template, &c);
    let mut body = format!("Hi {},\n\n", c.first);
    let opening = *rng.pick(HUMAN_OPENINGS);
    body.push_str(&fill(rng, opening, &c));
    body.push_str("\n\n");
    let middles = 2 + rng.below(3);
    let start = rng.below(HUMAN_MIDDLES.len());
    let mut paragraph = Vec::new();
    for k in 0..middles {
        paragraph.push(fill(
            rng,
            HUMAN_MIDDLES[(start + k) % HUMAN_MIDDLES.len()],
            &c,
        ));
        if paragraph.len() == 2 || k + 1 == middles {
            body.push_str(&wrap(&paragraph.join(" ")));
            body.push_str("\n\n");
            paragraph.clear();
        }
    }
    let ask = *rng.pick(HUMAN_ASKS);
    body.push_str(&fill(rng, ask, &c));
    body.push_str("\n\n");
    if rng.chance(0.5) {
        body.push_str(rng.pick::<&str>(SIGN_OFFS));
        body.push('\n');
    }
    body.push_str(c.sender);
    body.push('\n');
    Draft {
        subject,
        body,
        voice: Voice::Human,
    }
}

const AI_SUBJECTS: &[&str] = &[
    "Quick question",
    "Unlocking growth for {company}",
    "Streamlining {company}'s sales process",
    "Partnership opportunity",
    "Touching base",
    "Revolutionize your {industry} workflow",
];

const AI_OPENINGS: &[&str] = &[
    "I hope this email finds you well.",
    "I hope this message finds you well.",
    "I hope you’re having a great week.",
    "I hope this finds you well.",
];

const AI_CONTEXT: &[&str] = &[
    "In today’s fast-paced environment, {industry} leaders like you are under more pressure than ever.",
    "In today's fast\u{2011}paced business environment, teams need to move faster than ever.",
    "Navigating the current landscape of {industry} is more challenging than ever.",
    "As the {industry} landscape continues to evolve, companies like {company} need to stay ahead of the curve.",
];

const AI_REACH: &[&str] = &[
    "I wanted to reach out because {product} helps companies like {company} leverage AI to streamline their sales process.",
    "I’m reaching out to introduce {product}, a cutting-edge platform that empowers revenue teams.",
    "I wanted to reach out to see if {company} is looking to unlock the full potential of its pipeline.",
    "I just wanted to\nreach out because we help {industry} teams drive meaningful results.",
];

const AI_BULLET_INTROS: &[&str] = &[
    "With our platform, you can:",
    "Our platform helps you:",
    "With {product}, your team can:",
];

const AI_BULLETS: &[&str] = &[
    "Unlock actionable insights from every customer interaction",
    "Seamlessly integrate with your existing CRM",
    "Empower reps to close more deals, faster",
    "Streamline your workflows with AI-powered automation",
    "Leverage real-time analytics to optimize performance",
    "Drive revenue growth with best-in-class forecasting",
];

const AI_PROOF: &[&str] = &[
    "It's a game-changer for teams looking to maximize efficiency and drive synergies across departments.",
    "Our robust, end-to-end solution has helped companies like yours achieve transformative results.",
    "We pride ourselves on being a world-class partner for forward-thinking organizations.",
];

const AI_CTAS: &[&str] = &[
    "Would you be open to a quick 15-minute call next week?",
    "Would you be open to a quick 15-minute chat to explore how we can help?",
    "Do you have 15 minutes this week for a quick call?",
    "Would you be available for a quick 30-minute call to discuss further?",
];

const AI_CLOSERS: &[&str] = &[
    "I look forward to hearing from you.",
    "Please don't hesitate to reach out if you have any questions.",
    "Looking forward to connecting!",
];

/// A draft in the corporate-AI voice, lightly edited: the patterns prospects recognise.
pub fn corporate_ai(rng: &mut Rng) -> Draft {
    let c = ctx(rng);
    let subject_template = *rng.pick(AI_SUBJECTS);
    let subject = fill(rng, subject_template, &c);
    let mut body = format!("Hi {},\n\n", c.first);
    let mut opening = vec![(*rng.pick(AI_OPENINGS)).to_string()];
    if rng.chance(0.7) {
        let t = *rng.pick(AI_CONTEXT);
        opening.push(fill(rng, t, &c));
    }
    let t = *rng.pick(AI_REACH);
    opening.push(fill(rng, t, &c));
    body.push_str(&wrap(&opening.join(" ")));
    body.push_str("\n\n");
    if rng.chance(0.7) {
        let intro = *rng.pick(AI_BULLET_INTROS);
        body.push_str(&fill(rng, intro, &c));
        body.push_str("\n\n");
        let n = 3 + rng.below(3);
        let start = rng.below(AI_BULLETS.len());
        for k in 0..n {
            body.push_str("- ");
            body.push_str(AI_BULLETS[(start + k) % AI_BULLETS.len()]);
            body.push('\n');
        }
        body.push('\n');
    }
    if rng.chance(0.6) {
        body.push_str(rng.pick::<&str>(AI_PROOF));
        body.push_str("\n\n");
    }
    body.push_str(rng.pick::<&str>(AI_CTAS));
    body.push_str("\n\n");
    if rng.chance(0.8) {
        body.push_str(rng.pick::<&str>(AI_CLOSERS));
        body.push_str("\n\n");
    }
    body.push_str("Best regards,\n");
    body.push_str(c.sender);
    body.push_str("\nAccount Executive, ");
    body.push_str(c.product);
    body.push('\n');
    Draft {
        subject,
        body,
        voice: Voice::CorporateAi,
    }
}

/// Wraps prose at about 76 columns, as a mail client would.
fn wrap(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut width = 0;
    for word in s.split(' ') {
        if width > 0 && width + 1 + word.len() > 76 {
            out.push('\n');
            width = 0;
        } else if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += word.len();
    }
    out
}
