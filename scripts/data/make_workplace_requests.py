#!/usr/bin/env python3
"""Writes neutral requests for short workplace mail: the notes people send colleagues and
customers every day (a meeting moved, a team lunch, a new hire, a deadline, an outage).

The voice score was built on sales mail of 100-200 words; another model's short workplace
mail (median 41 words) went almost entirely unflagged (README, voice score). These requests
are for drafts of that kind, written by our own helper sessions, so the blind spot can be
studied on data that is ours. Each request is what a person would type into a drafting tool,
terse or in full; none asks for a voice or style. Seeded: the same command writes the same file.

    python3 scripts/data/make_workplace_requests.py > data/voice-workplace/requests.jsonl
"""
import json
import random

SEED = 20261129
COUNT = 240

NAMES = ["Priya", "Tom", "Dana", "Luis", "Mei", "Owen", "Fatima", "Greg", "Ingrid", "Kofi",
         "Rachel", "Sanjay", "Beth", "Marco", "Yuki", "Aaron", "Nadia", "Colin", "Rosa", "Viktor"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TIMES = ["9:30", "10", "11", "12:30", "1", "2", "3:30", "4"]
PLACES = ["the big conference room", "Room 4B", "the kitchen", "Rosa's Cantina", "the Blue Door pub",
          "Zoom", "the 3rd floor lounge", "Harbor Thai", "the training room"]
TEAMS = ["the team", "the sales team", "engineering", "everyone in the office", "the ops team",
         "my direct reports", "the marketing team", "the support team", "all staff"]
PROJECTS = ["the Hanson rollout", "the Q3 close", "the website relaunch", "the Denver move",
            "the billing migration", "the trade show", "the audit", "the new CRM"]
CUSTOMERS = ["our customers", "our clients", "members", "subscribers", "account holders"]

# (kind, templates). Fields: {name} {day} {time} {place} {team} {project} {customers} {n}
TASKS = [
    ("meeting", [
        "email to {team}: {project} check-in moved from {day} to next {day2} at {time}, same place ({place})",
        "Write an email to {team} cancelling this week's {day} standup. We'll pick it up next week.",
        "need to set up a kickoff for {project} with {team}, {day} {time} in {place}. ask them to bring open questions",
        "Tell {team} the all-hands is on {day} at {time} in {place}, {name} will present the {project} numbers.",
    ]),
    ("social", [
        "email {team} about a team lunch {day} {time} at {place} to celebrate {project}. rsvp by {day2}",
        "Write a short note inviting {team} to drinks at {place} on {day} after work for {name}'s farewell.",
        "its {name}'s birthday {day}, cake in {place} at {time}. email {team}",
        "Invite {team} to the summer BBQ on Saturday, families welcome, sign-up sheet in {place}.",
    ]),
    ("announcement", [
        "email to {team} introducing {name}, who starts {day} as our new account manager",
        "Write an email announcing that {name} has been promoted to team lead of {team2}.",
        "let {team} know {name} is leaving at the end of the month, last day {day} the 28th",
        "Announce to {team} that we are switching to a new expense tool next month, training to follow.",
        "Tell {team} the office will be closed {day} for the holiday.",
    ]),
    ("reminder", [
        "remind {team} timesheets are due {day} by 5",
        "Write a reminder to {team} that the compliance training must be done by the end of the month.",
        "reminder email: self reviews due {day}, {n} people still haven't started",
        "Remind {team} to submit their {project} expense receipts before {day}.",
    ]),
    ("it-facilities", [
        "email {team}: email will be down {day} night 10pm-2am for maintenance",
        "Write a note telling {team} the parking garage is closed {day} and to use the lot on Elm St.",
        "fire drill {day} at {time}, let {team} know",
        "Let {team} know the wifi password changed and is on the board in {place}.",
    ]),
    ("thanks", [
        "thank {team} for getting {project} out the door, especially {name}",
        "Write a quick thank-you to {name} for covering the {day} shift.",
        "email to {team} saying thanks for the extra hours on {project} last week",
    ]),
    ("request", [
        "ask {name} for the {project} numbers by {day}",
        "Write an email asking {team} for two volunteers to staff our booth at the trade show.",
        "need feedback from {team} on the draft plan for {project} before {day}",
        "Ask {name} if they can cover my client call on {day} at {time}.",
    ]),
    ("customer-notice", [
        "email {customers}: our support hours change to 8-6 starting {day}",
        "Write an email telling {customers} about a price change next quarter, {n}% on the basic plan.",
        "let {customers} know about planned downtime {day} night for an upgrade",
        "Invite {customers} to a free webinar on {day} at {time} about getting more out of the new reports.",
        "Tell {customers} our office is closed {day} for the holiday and orders ship the next day.",
    ]),
]


def main():
    rng = random.Random(SEED)
    for i in range(1, COUNT + 1):
        kind, templates = TASKS[(i - 1) % len(TASKS)]
        day, day2 = rng.sample(DAYS, 2)
        team, team2 = rng.sample(TEAMS, 2)
        request = rng.choice(templates).format(
            name=rng.choice(NAMES), day=day, day2=day2, time=rng.choice(TIMES),
            place=rng.choice(PLACES), team=team, team2=team2, project=rng.choice(PROJECTS),
            customers=rng.choice(CUSTOMERS), n=rng.randint(3, 12))
        print(json.dumps({"id": f"w{i:04d}", "kind": kind, "request": request}))


if __name__ == "__main__":
    main()
