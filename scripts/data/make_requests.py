#!/usr/bin/env python3
"""Writes the neutral drafting requests behind redline's generated AI-draft corpus.

Each request is what a rep would type into an email-drafting tool: a task, a seller, a
product, a prospect and sometimes notes or a rough draft to polish. Nothing in a request asks
for any particular voice. The requests are seeded, so the same command writes the same file.

    python3 scripts/data/make_requests.py > data/voice-corpus/requests.jsonl
"""
import argparse
import json
import random

SEED = 20261127

SELLERS = [
    ("Maya", "Chen"), ("Tom", "Okafor"), ("Priya", "Raman"), ("Jake", "Sullivan"),
    ("Elena", "Petrova"), ("Marcus", "Webb"), ("Aisha", "Bello"), ("Dan", "Kowalski"),
    ("Sofia", "Marquez"), ("Ben", "Hartley"), ("Leah", "Goldberg"), ("Ravi", "Shah"),
    ("Chloe", "Dupont"), ("Sam", "Nakamura"), ("Hannah", "Lindqvist"), ("Omar", "Haddad"),
    ("Grace", "O'Neill"), ("Luis", "Ferreira"), ("Nina", "Kaur"), ("Pete", "Anderson"),
    ("Zoe", "Mitchell"), ("Kwame", "Asante"), ("Julia", "Rossi"), ("Alex", "Brennan"),
]

# (company, product, what it does, a proof point the rep might mention)
PRODUCTS = [
    ("Routewise", "route optimization software", "plans delivery routes for fleets of 20-500 vans",
     "cut fuel spend 14% for a regional grocer"),
    ("Ledgerly", "accounts-payable automation", "reads invoices and routes them for approval",
     "took a 40-person finance team from 9-day to 2-day invoice cycles"),
    ("ShiftCraft", "staff scheduling app", "builds rotas for hourly teams and handles swaps by text",
     "reduced no-shows by a third at a 60-store coffee chain"),
    ("Vaultline", "endpoint security platform", "detects and isolates compromised laptops",
     "caught a ransomware attempt in 4 minutes at a mid-size law firm"),
    ("Harvest & Hale", "commercial cleaning services", "cleans offices and clinics overnight",
     "has kept a 12-site dental group's contract for six years"),
    ("BrightPanel", "commercial solar installation", "designs and installs rooftop solar for warehouses",
     "saved a cold-storage company $180k a year"),
    ("TalentLoop", "recruiting agency for engineers", "places senior backend and data engineers",
     "filled 11 roles in a quarter for a Series B fintech"),
    ("Clearpath HR", "HR and payroll software", "runs payroll, PTO and onboarding for 50-1,000 employees",
     "moved a 300-person manufacturer off spreadsheets in 6 weeks"),
    ("Northstar Analytics", "marketing attribution tool", "ties ad spend to closed revenue",
     "showed an ecommerce brand that 30% of its paid search spend drove no sales"),
    ("Kettle & Co", "corporate catering", "delivers team lunches and event catering",
     "feeds 400 people every Thursday at a biotech campus"),
    ("Fieldnote", "field service management software", "dispatches technicians and collects signatures on site",
     "helped an HVAC contractor fit two more jobs per tech per week"),
    ("Patchwork IT", "managed IT services", "runs helpdesk, backups and patching for small offices",
     "answers tickets in 11 minutes on average"),
    ("Greenleaf Packaging", "recyclable shipping boxes", "makes custom-printed corrugated mailers",
     "cut a skincare brand's damage returns in half"),
    ("Signalhouse", "call tracking for local businesses", "shows which ads make the phone ring",
     "helped a roofing company drop two ad channels that produced no calls"),
    ("Orbit CRM", "CRM for small sales teams", "a simple pipeline tool with email sync",
     "is used by 2,000 teams under 20 reps"),
    ("DockSense", "warehouse dock scheduling", "books inbound truck appointments",
     "cut detention fees 60% for a 3PL"),
    ("Meridian Legal", "contract review software", "flags risky clauses in vendor contracts",
     "halved first-pass review time for an in-house team of four"),
    ("Pulse Surveys", "employee engagement surveys", "runs short weekly pulse surveys",
     "gets 80%+ response rates at hospitals"),
    ("Stackyard", "construction project management software", "tracks RFIs, submittals and daily logs",
     "is used on 900 job sites"),
    ("Copperline Insurance", "commercial insurance brokerage", "shops business insurance across 30 carriers",
     "saved a trucking company 22% at renewal"),
    ("Tidewater Print", "print and promotional products", "prints trade-show materials and swag",
     "turned around 5,000 event badges in 48 hours"),
    ("Quillbot Labs", "AI meeting notes tool", "records calls and writes summaries into the CRM",
     "saves reps about 5 hours a week"),
    ("Anchor Freight", "freight brokerage", "moves full and partial truckloads",
     "has a 98% on-time rate on Midwest lanes"),
    ("SafeStep Training", "workplace safety training", "runs OSHA courses on site and online",
     "cut recordable incidents 25% at a food plant"),
    ("Lumen Dental Supply", "dental supplies distributor", "ships consumables next day",
     "saves practices 12% versus the big distributors"),
    ("Cobalt Data", "data warehouse consulting", "builds Snowflake and dbt setups",
     "got a retailer's daily reports from 6 hours to 20 minutes"),
    ("Wayfinder Travel", "corporate travel management", "books and tracks business travel",
     "cut a consulting firm's travel spend 18%"),
    ("Evergreen Facilities", "HVAC maintenance contracts", "services rooftop units for commercial buildings",
     "kept a 40-store retailer at zero emergency calls last summer"),
    ("Parcelpoint", "shipping label and rate software", "compares carrier rates at checkout",
     "saved an online shop $3.10 per parcel"),
    ("Brightside Benefits", "employee benefits consulting", "designs health plans for small employers",
     "held a 90-person company's premiums flat for two years"),
]

PROSPECT_ROLES = [
    "VP of Operations", "Head of Finance", "CFO", "IT Director", "Office Manager", "COO",
    "Director of Facilities", "Head of People", "HR Manager", "Founder and CEO",
    "Head of Marketing", "Logistics Manager", "Plant Manager", "Practice Manager",
    "Procurement Lead", "Head of Sales", "Controller", "Director of Engineering",
    "Fleet Manager", "Events Coordinator",
]
PROSPECT_NAMES = [
    "Karen Liu", "David Park", "Rachel Green", "Steve Morales", "Anita Desai", "Mike Brennan",
    "Laura Fischer", "James Whitfield", "Fatima Noor", "Chris Doyle", "Helen Zhao", "Paul Mensah",
    "Megan Carter", "Ivan Horvat", "Sarah Klein", "Tony Russo", "Emily Watts", "Raj Patel",
    "Claire Dubois", "Greg Hall",
]
PROSPECT_COMPANIES = [
    "a 200-person logistics company in Ohio", "a regional hospital network",
    "a 12-location dental group", "a Series B fintech startup", "a family-owned food manufacturer",
    "a 50-store coffee chain", "a mid-size law firm", "a university facilities department",
    "a construction firm with 300 staff", "an ecommerce skincare brand", "a city government office",
    "a 3PL warehouse operator", "a SaaS company with 80 employees", "a nonprofit with 40 staff",
    "a chain of veterinary clinics", "a commercial real estate firm", "a regional credit union",
    "an HVAC contractor with 25 technicians", "a private school", "a hotel group with 9 properties",
]

TRIGGERS = [
    "they just opened a new warehouse", "they posted three job openings for {role_short} roles",
    "their CEO spoke at a trade show last month", "they raised a funding round recently",
    "I saw their post on LinkedIn about growing pains", "they're hiring a lot this quarter",
    "a mutual contact (Jen from Acme) suggested I reach out", "they use a competitor of ours",
    "they just announced an expansion into Texas", "nothing specific, it's a cold list",
    "they downloaded our pricing guide last week", "they visited our booth at the expo",
]

FIRST_TOUCH = [
    "Write a cold email to {pname}, {role} at {pco}. We sell {product} ({company}) - {what}. {trigger_cap}. Keep it short.",
    "cold email to the {role} at {pco}. I'm {seller} at {company}, we do {product}. proof point: we {proof}.",
    "Draft a first outreach email to {pname} ({role}, {pco}). Our product {company} {what}. Ask for a call.",
    "Can you write an intro email to {pname}? They're {role} at {pco}. Context: {trigger}. We're {company}, {product}.",
    "need a prospecting email for {role}s at companies like {pco}. product: {company}, {what}. mention that we {proof}",
    "Write a short first-touch email from {seller} at {company} to {pname}, {role} at {pco}. Goal: get a 20 min meeting.",
    "Email to {pname} at {pco}, {role}. {trigger_cap}. We help with {product}. Make it personal and not salesy.",
    "I need to email {pname} ({role}) at {pco} for the first time about {company}. We {proof}. Subject line too please.",
]
FOLLOW_UP = [
    "Write a follow-up to {pname} ({role} at {pco}). I emailed last week about {company} ({product}) and heard nothing.",
    "follow up email, no reply to my first email about {product}. prospect is {role} at {pco}. keep it brief",
    "Draft a second follow-up to {pname}. First email was about how we {proof}. Still no answer after 2 weeks.",
    "{pname} opened my email 4 times but didn't reply. Write a follow-up. I'm {seller} from {company}.",
    "Write a follow up after I left {pname} a voicemail today about {company}. They're {role} at {pco}.",
    "bump email to {pname} - sent a case study on {product} 10 days ago, nothing back",
]
BREAKUP = [
    "Write a breakup email to {pname} ({role}, {pco}). I've reached out 4 times about {company} with no response.",
    "last email in my sequence to {pname} about {product}. want to close the loop politely",
    "Draft a final follow-up to {pname} at {pco}. If they're not interested that's fine, just want to know.",
]
RECAP = [
    "Write a recap email after my call today with {pname} ({role} at {pco}). We discussed {product}; they're worried about {concern}. Next step: {next_step}.",
    "meeting recap for {pname}. notes: {notes}. next step {next_step}",
    "Send {pname} a summary of our demo of {company} this morning. They liked {liked}, concerned about {concern}. Next: {next_step}.",
    "Draft a thank-you and recap to {pname} after our discovery call. Key points: {notes}.",
]
INVITE = [
    "Write an email inviting {pname} ({role} at {pco}) to our {event} on {date}. We're {company}, {product}.",
    "invite email for our {event} on {date}, sending to {role}s at companies like {pco}. {company} is hosting",
    "Draft an invitation to {pname} for a {event} we're running on {date} in {city}. Limited seats.",
]
REENGAGE = [
    "Write a re-engagement email to {pname} at {pco}. We talked in {month} about {company} but it went quiet.",
    "{pname} ({role}) went dark after a demo 3 months ago. write something to restart the conversation. we've since {news}",
    "Reach back out to {pname} - they said to check back next quarter about {product}. It's next quarter.",
    "old lead, {pname} at {pco}, last talked a year ago. we {news}. write a reconnect email",
]
NOTICE = [
    "Write an email to our customers announcing that {company} prices go up {pct}% on {date}.",
    "Draft a customer announcement: {company} is launching {feature} next month.",
    "Write an email to all {company} customers about scheduled maintenance on {date} from 10pm to 2am.",
    "Draft a note to customers that {seller} is their new account manager at {company}.",
    "Write an email to clients explaining our updated terms of service at {company}, effective {date}.",
    "write an announcement email that {company} has been acquired by {acquirer}. customers shouldn't worry",
    "Draft an internal email to the sales team about the new Q3 commission plan.",
    "Write an email to customers about a delay in shipments due to {reason}.",
]
REFERRAL = [
    "Write an email to a happy customer, {pname}, asking if they'd introduce us to anyone else who might need {product}.",
    "Ask {pname} at {pco} if they'd do a short case study with us about using {company}.",
    "write a renewal reminder to {pname}, their {company} contract ends {date}. want to get ahead of it",
    "Email {pname} a case study about how we {proof}. They're {role} at {pco}.",
]
ROUGH_DRAFTS = [
    "hi {first}, saw {pco_short} is growing fast. we do {product} and {proof}. worth a chat next week? {seller}",
    "{first} - following up on my note from last week. any interest in seeing how {company} works? happy to send a quick video instead of a call",
    "Hey {first}, thanks for the time today. As discussed I'll send pricing by Friday and loop in our tech guy. Let me know if your team has more questions. {seller}",
    "Hi {first}, haven't heard back so I'll assume timing's off. If {product} becomes a priority later just reply here. Cheers, {seller}",
    "{first}, quick one. we {proof}. if that's relevant to {pco_short} I can show you how in 15 mins. if not, no worries.",
    "hi {first} we're doing a {event} on {date}, figured you might want to come. there's food. let me know",
    "Hi {first}, our prices are going up {pct}% on {date}. If you renew before then you keep the current rate. Let me know, {seller}",
    "{first} - it's been a while. we {news} and I thought of you. want to catch up?",
]
POLISH = [
    "Polish this draft:\n\n{rough}",
    "Can you make this email sound better?\n\n{rough}",
    "improve my email to {pname}:\n{rough}",
    "Rewrite this to be more professional:\n\n{rough}",
    "fix this up before I send it to a prospect:\n\n{rough}",
    "Make this more engaging:\n\n{rough}",
    "clean up grammar and tone:\n{rough}",
]

CONCERNS = ["price", "implementation time", "IT security review", "integration with their ERP",
            "training their staff", "contract length", "switching costs from their current vendor",
            "data migration"]
NEXT_STEPS = ["send pricing by Friday", "technical call with their IT lead next Tuesday",
              "a trial for one site", "intro to their CFO", "proposal by end of month",
              "reference call with an existing customer"]
LIKED = ["the reporting dashboard", "how fast setup is", "the mobile app", "the integrations",
         "the support model", "the pricing flexibility"]
NOTES = [
    "3 sites, 120 users, budget approved for Q1, decision by Oct 15",
    "currently on spreadsheets, pain is month-end close, CFO is the signer",
    "using a competitor, contract ends in March, unhappy with support",
    "need SSO, want pilot first, champion is the ops manager",
    "two decision makers, worried about rollout during busy season",
]
EVENTS = ["customer roundtable", "webinar on cutting operating costs", "breakfast briefing",
          "user conference", "happy hour at the trade show", "product launch webinar",
          "half-day workshop"]
CITIES = ["Chicago", "Austin", "Denver", "Atlanta", "Boston", "Seattle", "Toronto", "London"]
DATES = ["March 12", "April 3", "May 21", "June 9", "September 18", "October 7", "November 14"]
MONTHS = ["January", "February", "March", "June", "August", "last spring"]
NEWS = ["launched a mobile app", "cut our pricing for small teams", "opened an office in their city",
        "added an integration with NetSuite", "won a big customer in their industry",
        "rebuilt our onboarding"]
FEATURES = ["a mobile app", "single sign-on", "a new reporting dashboard", "an API", "Spanish-language support"]
REASONS = ["a supplier issue", "weather at our main warehouse", "a port strike", "a system outage"]
ACQUIRERS = ["a larger competitor", "Summit Holdings", "a private equity firm"]

KINDS = [
    ("first-touch", FIRST_TOUCH, 0.24),
    ("follow-up", FOLLOW_UP, 0.14),
    ("breakup", BREAKUP, 0.06),
    ("recap", RECAP, 0.10),
    ("invitation", INVITE, 0.08),
    ("re-engagement", REENGAGE, 0.09),
    ("polish", POLISH, 0.14),
    ("notice", NOTICE, 0.08),
    ("customer-ask", REFERRAL, 0.07),
]


def pick_kind(rng):
    x = rng.random()
    acc = 0.0
    for name, templates, share in KINDS:
        acc += share
        if x < acc:
            return name, templates
    return KINDS[-1][0], KINDS[-1][1]


def request(rng, n):
    kind, templates = pick_kind(rng)
    seller = " ".join(rng.choice(SELLERS))
    company, product, what, proof = rng.choice(PRODUCTS)
    pname = rng.choice(PROSPECT_NAMES)
    role = rng.choice(PROSPECT_ROLES)
    pco = rng.choice(PROSPECT_COMPANIES)
    trigger = rng.choice(TRIGGERS).format(role_short=role.split(" of ")[-1].lower())
    slots = dict(
        seller=seller, company=company, product=product, what=what, proof=proof,
        pname=pname, first=pname.split()[0], role=role, pco=pco,
        pco_short=pco.split(" in ")[0].replace("a ", "your ", 1),
        trigger=trigger, trigger_cap=trigger[0].upper() + trigger[1:],
        concern=rng.choice(CONCERNS), next_step=rng.choice(NEXT_STEPS), liked=rng.choice(LIKED),
        notes=rng.choice(NOTES), event=rng.choice(EVENTS), city=rng.choice(CITIES),
        date=rng.choice(DATES), month=rng.choice(MONTHS), news=rng.choice(NEWS),
        feature=rng.choice(FEATURES), reason=rng.choice(REASONS), acquirer=rng.choice(ACQUIRERS),
        pct=rng.choice([4, 5, 6, 8, 10, 12]),
    )
    if kind == "polish":
        slots["rough"] = rng.choice(ROUGH_DRAFTS).format(**slots)
    text = rng.choice(templates).format(**slots)
    return {"id": f"r{n:04d}", "kind": kind, "company": company, "request": text}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", nargs="?", type=int, default=1800,
                        help="how many requests to write (default 1800)")
    count = parser.parse_args().count
    rng = random.Random(SEED)
    for n in range(1, count + 1):
        print(json.dumps(request(rng, n), ensure_ascii=False))


if __name__ == "__main__":
    main()
