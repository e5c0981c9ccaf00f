"""All Saints' demo cases: every stage, every letter, every step of the ban process.

Each function is one case, told as the school lived it (see conduct.generated.demo.story).
The browser tests lean on a few of them by the parent's name: Steven Grey
(awaiting the Chair, a ban proposed), Karen Black (a warning proposed), Lisa
Stone (decided, meeting and warning, no letter yet) and Mark Brown (reported).
"""

from datetime import date, timedelta

from conduct.generated.demo import files
from conduct.generated.demo.story import routine
from incidents.models import CodeGivenHow, Injury, Location, NotPossibleReason, StatementKind
from sanctions.models import ActionKind as A
from sanctions.models import BanRoute, ComplaintOutcome, ConsultationMethod, DecisionOutcome, ReviewOutcome, SentBy
from sanctions.models import LetterKind as K

PUPIL = StatementKind.PUPIL


# Open cases, this month ---------------------------------------------------------------------


def mark_brown(c):
    yield c.day(1, "08:55")
    c.log(subjects=["mark_brown"], categories=["offensive-language"], hours_before=0.5,
          description="Shouted and swore at the office window when told the Year 4 trip was full.",
          detail="the office window in reception", reported_by="Mrs Patel, office manager",
          staff_affected="Office manager")


def sarah_green(c):
    yield c.day(5, "09:10")
    c.log(subjects=["sarah_green"], categories=["disruptive-behaviour"], hours_before=1,
          description="Refused to leave the playground at the start of the school day and argued with the "
                      "teacher on the door in front of the Year 1 line.",
          detail="the infant playground at the start of the day", reported_by="Miss Owen, Year 1 teacher")


def paul_white(c):
    yield c.day(17, "08:20")
    c.log(subjects=["paul_white"], categories=["abusive-messages", "threatening"], hours_before=12,
          location=Location.OFF_SITE, detail="a voicemail left on the office telephone overnight",
          description="Left a voicemail on the office telephone after school hours, swearing about his "
                      "daughter's report and saying the class teacher 'had better watch herself'.",
          reported_by="Mrs Patel, office manager", staff_affected="Year 5 class teacher")
    yield c.later(hours=1)
    c.evidence(files.voicemail_transcript(
        school=c.school, reference=c.incident.reference,
        caller="Mr Paul White (the number on his daughter's record)",
        received=c.now - timedelta(hours=12, minutes=40), duration="1 minute 12 seconds",
        typed_by="Mrs Patel, office manager",
        lines=[
            "“This is Paul White, Lily's dad. I've just read that report and it's a joke.”",
            "“Nobody in that school has a clue what they're doing. [swearing] Three pages and not one "
            "word about what she's actually good at.”",
            "“You tell Miss Carter she'd better watch herself. I'll be down there in the morning and "
            "I'm not going to be polite about it.”",
            "[The caller hangs up.]",
        ]), "Typed transcript of the voicemail; the recording is kept on the phone system")
    yield c.later(days=1)
    c.gather()
    c.statement("Miss Carter, Year 5 class teacher",
                "I listened to the voicemail with Mrs Patel. I felt threatened by 'she'd better watch herself' "
                "and asked a colleague to walk me to my car that evening.")


def gary_field(c):
    yield c.day(8, "15:25")
    c.log(subjects=["gary_field"], categories=["approaching-child"], hours_before=0.3,
          description="Approached a Year 2 pupil at the gate to tell him off for pushing his daughter at lunch.",
          detail="the main gate at pick-up time", reported_by="Mr Lee, gate supervisor",
          pupils_affected="A Year 2 pupil (not his child)")
    yield c.later(days=1)
    c.gather()
    c.statement("Mr Lee, gate supervisor", "He leaned over the boy and spoke sharply to him until I stepped in.")
    yield c.later(days=1, hours=2)
    c.statement("The pupil (Year 2)", "The man said I was a bully and I had to leave Ella alone.", kind=PUPIL,
                others_present="Mrs Dean, Year 2 teaching assistant")
    yield c.later(days=2)
    c.to_conversation()


def karen_black(c):
    yield c.day(9, "08:40")
    c.log(subjects=["karen_black"], categories=["abusive-messages"], hours_before=40,
          location=Location.ONLINE, detail="three emails to the class teacher over a weekend",
          description="Sent three abusive emails to the class teacher over a weekend about a detention.",
          reported_by="Mr Ahmed, Year 6 teacher", staff_affected="Year 6 class teacher")
    yield c.later(hours=3)
    c.gather()
    c.statement("Mr Ahmed, Year 6 teacher", "The emails called me incompetent and 'a disgrace'. I have kept them.")
    yield c.later(days=2)
    c.to_conversation()
    yield c.later(days=1, hours=4)
    c.spoke("She accepted the emails were rude; she was upset about the detention.",
            "She will raise concerns through the office by appointment.")
    yield c.later(days=2)
    c.propose([A.WARNING_LETTER], "A first incident of this kind: a warning is proportionate.")


def steven_grey(c):
    yield c.day(12, "08:50")
    c.log(subjects=["steven_grey"], categories=["threatening", "aggression"], hours_before=0.5,
          description="Threatened the deputy head and pushed past her into the building when asked to wait.",
          detail="the front entrance at the start of the day", reported_by="Mr Deputy, deputy head",
          staff_affected="Deputy head")
    yield c.later(hours=2)
    c.gather()
    c.statement("Mrs Patel, office manager", "I saw him push past the deputy head with his shoulder.")
    c.statement("Mr Deputy, deputy head", "He said 'move or I'll move you' and pushed me aside.")
    c.harm(c.senior, "Pushed aside at the front entrance; fell against the door frame and hurt a shoulder.",
           Injury.OTHER, days_off=1)
    yield c.later(days=1)
    c.to_conversation()
    yield c.later(hours=3)
    c.not_spoken(NotPossibleReason.RISK, "Staff do not feel safe meeting him until the Chair has been consulted.")
    c.support("Referred to occupational health; the counselling service offered.")
    yield c.later(days=2)
    c.propose([A.SITE_BAN, A.AUTHORITIES], "Staff felt threatened; physical contact with a member of staff.",
              "The threat and the push put staff at immediate risk.")
    # The shoulder keeps her off her normal work for more than 7 days: a RIDDOR report is due (the head's list).
    yield c.later(days=3)
    c.days_off(8)


def lisa_stone(c):
    yield c.day(10, "08:45")
    c.log(subjects=["lisa_stone"], categories=["dogs", "inappropriate-behaviour"], hours_before=0.4,
          description="Brought a dog into the playground again after being asked not to, and laughed at the "
                      "member of staff who asked her to take it out.",
          detail="the junior playground", reported_by="Mrs Khan, midday supervisor")
    yield c.later(hours=4)
    c.gather()
    c.statement("Mrs Khan, midday supervisor", "The third time this term; she said the dog is friendly.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("She said the dog is harmless and the rule is silly.", "She will leave the dog at home.")
    yield c.later(days=1)
    c.propose([A.MEETING, A.WARNING_LETTER], "Repeated after a verbal request; a meeting and a letter.")
    yield c.later(days=1)
    c.decide("Proportionate to a repeated, low-risk breach.")


def michelle_grant(c):
    yield c.day(11, "15:20")
    c.log(subjects=["michelle_grant"], categories=["offensive-language"], hours_before=0.2,
          description="Swore at another parent in the Reception queue at pick-up.",
          detail="the Reception classroom door", reported_by="Mrs Hart, Reception teacher")
    yield c.later(days=1)
    c.gather()
    c.statement("Mrs Hart, Reception teacher", "Loud swearing in front of the Reception children.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("She was sorry; the other parent had blocked her pushchair.", "She will apologise to the other parent.")
    yield c.later(days=1)
    c.propose([A.NO_FURTHER_ACTION], "She apologised straight away.")
    yield c.later(days=3)
    c.decide("The second time this year in front of young children: a warning letter is needed, not nothing.",
             outcome=DecisionOutcome.REJECTED)


def darren_cole(c):
    yield c.day(47, "16:05")
    c.log(subjects=["darren_cole"], categories=["threatening", "property-damage"], hours_before=0.5,
          description="Drove at the crossing patrol's sign in the school lane and shouted that he would 'sort "
                      "her out' when she stopped the traffic.",
          location=Location.OFF_SITE, detail="the school lane, outside the staff car park",
          reported_by="Mrs Ellis, school crossing patrol", staff_affected="School crossing patrol")
    yield c.later(days=1)
    c.gather()
    c.statement("Mrs Ellis, school crossing patrol", "He drove at my sign and bent it; I jumped back.")
    yield c.later(days=2)
    c.to_conversation()
    c.spoke("He says he did not see her.", "", present="Deputy head, the parent and his partner")
    yield c.later(days=1)
    c.propose([A.WARNING_LETTER, A.AUTHORITIES], "Dangerous driving near pupils: a warning, and the police told.")
    yield c.later(days=2)
    c.decide("A warning letter and a report to Kent Police.")
    yield c.later(days=1)
    c.letter(K.WARNING)


# Bans ---------------------------------------------------------------------------------------


def jason_reid(c):
    """Warned at St Mary's (see st_marys.jason_reid_at_st_marys), then banned from All Saints' site."""
    yield c.day(152, "15:30")
    c.log(subjects=["jason_reid"], categories=["property-damage", "threatening"], hours_before=0.3,
          description="Kicked the main gate until the latch broke when it was locked at 3.15, and told the site "
                      "manager he would 'have him' if it happened again.",
          detail="the main gate at pick-up time", reported_by="Mr Khan, site manager", staff_affected="Site manager",
          evidence=[(files.gate_photo(), "The gate after the incident: bent railing and broken latch")])
    yield c.later(hours=1)
    c.gather()
    c.statement("Mr Khan, site manager", "He kicked the gate three times; the latch snapped and a railing bent. "
                "Then he pointed at me and said he would have me.")
    c.statement("The pupil (Year 2)", "Daddy was angry because the gate was locked.", kind=PUPIL,
                others_present="Mrs Dean, Year 2 teaching assistant")
    yield c.later(days=1)
    c.to_conversation()
    c.not_spoken(NotPossibleReason.RISK, "He threatened the site manager; the police advised no meeting on site.")
    yield c.later(hours=2)
    c.propose([A.SITE_BAN, A.AUTHORITIES], "Damage and a threat to staff, after a warning at St Mary's.",
              "He was warned in writing at St Mary's last year; this time staff were threatened.")
    yield c.later(days=1)
    c.consult("A ban from our site is proportionate; St Mary's decides for its own site.")
    yield c.later(hours=3)
    c.decide("A ban from the site, with the police told.")
    yield c.later(hours=1)
    c.done(A.AUTHORITIES, "Reported to Kent Police; they spoke to him.", reference=f"KP-{c.now:%y}-40312")
    c.ban_start("jason_reid", route=BanRoute.PROVISIONAL, days=365, review_after=95,
                reasons="You damaged the main gate and threatened the site manager.",
                arrangements="Ms Reid or the children's grandmother brings and collects Kai and Ava.")
    c.photo(c.person("jason_reid"), files.person_photo(name="jason-reid.jpg"))
    c.letter(K.PROVISIONAL_BAN)
    yield c.later(days=15)
    c.no_representations()
    c.confirm("You damaged the gate and threatened the site manager; with no representations from you, the "
              "risk to staff is unchanged.")
    c.letter(K.BAN_CONFIRMATION)
    yield c.later(days=1)
    c.close("Ban confirmed from the site for twelve months; police informed.")
    yield c.later(days=80)
    c.review(ReviewOutcome.CONTINUE, "There has been no further incident, but you have not yet taken up the "
             "school's offer of a meeting, and the site manager still feels at risk.",
             next_review_on=c.today() + timedelta(days=90))
    c.letter(K.BAN_REVIEW)
    # He complains about the ban; the informal answer does not satisfy him, so it is now at the formal stage.
    yield c.later(days=3)
    c.complain("Mr Reid says the ban is out of proportion to a broken latch, which he offered to pay for, and "
               "that it stops him seeing his children's assemblies.")
    yield c.later(days=12)
    c.complaint_outcome(ComplaintOutcome.PARTLY_UPHELD, "The ban rests on a threat to the site manager as well "
                        "as the damage; it was reviewed and continued. You may attend assemblies by arrangement "
                        "with the office, off the main site, and the office will now offer you the dates.")
    yield c.later(days=8)
    c.escalate()


def joanne_pike(c):
    """A ban confirmed after a notice; its review is due this week."""
    yield c.day(126, "08:45")
    c.log(subjects=["joanne_pike"], categories=["threatening", "offensive-language"], hours_before=0.3,
          description="Shouted at the Year 3 teacher in the classroom doorway and said she would 'make her life "
                      "hell' about a seating plan, in front of the class.",
          detail="the Year 3 classroom door", reported_by="Mrs Reed, Year 3 teacher", staff_affected="Year 3 teacher",
          pupils_affected="The Year 3 class")
    yield c.later(hours=2)
    c.gather()
    c.statement("Mrs Reed, Year 3 teacher", "The children were frightened; two were in tears.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("She said the teacher picks on her daughter.", "Nothing: she left the meeting.")
    yield c.later(days=1)
    c.propose([A.SITE_BAN], "A threat to a teacher in front of a class.",
              "The threat was made in front of pupils; a warning would not protect the teacher.")
    yield c.later(days=1)
    c.consult("Proportionate; the notice gives her the chance to respond first.", method=ConsultationMethod.MEETING)
    yield c.later(days=1)
    c.decide("A ban after notice, so that she can make representations first.")
    yield c.later(hours=2)
    c.ban_start("joanne_pike", route=BanRoute.NOTICE, days=180, review_on=c.demo.today + timedelta(days=4),
                reasons="You threatened a teacher in front of her class.",
                arrangements="Ruby's aunt brings and collects her.")
    c.letter(K.INTENDED_BAN)
    yield c.later(days=16)
    c.no_representations()
    c.confirm("You threatened a teacher in front of a class of eight-year-olds, and you have made no "
              "representations that change my view.")
    c.letter(K.BAN_CONFIRMATION)
    yield c.later(days=1)
    c.close("Ban confirmed after notice; review due in the spring.")
    # She complains about the ban straight to the formal stage, and then asks for a complaints panel.
    yield c.later(days=30)
    c.complain("Mrs Pike says she was not given a fair hearing before the ban and that the seating plan has "
               "still not been explained to her.", stage="formal")
    yield c.later(days=20)
    c.complaint_outcome(ComplaintOutcome.NOT_UPHELD, "The ban followed the notice and your chance to make "
                        "representations, which you did not take up, and it stands. Mrs Reed will explain the "
                        "seating plan to you in writing.")
    yield c.later(days=10)
    c.escalate()


def lee_dawson(c):
    """A notice of intended ban whose deadline for representations has passed, waiting for the head."""
    yield c.day(30, "15:15")
    c.log(subjects=["lee_dawson"], categories=["aggression"], hours_before=0.2,
          description="Grabbed another parent by the coat in the playground during an argument about football.",
          detail="the junior playground at pick-up", reported_by="Mrs Khan, midday supervisor")
    yield c.later(hours=1)
    c.gather()
    c.statement("Mrs Khan, midday supervisor", "He grabbed the other dad's coat and shouted in his face.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("He said the other parent started it.", "He will wait outside the gate at pick-up.")
    yield c.later(days=1)
    c.propose([A.SITE_BAN], "Physical aggression in front of pupils.", "Physical aggression in front of pupils.")
    yield c.later(days=1)
    c.consult("A ban is proportionate; give him notice first.")
    yield c.later(days=1)
    c.decide("A notice of intended ban.")
    yield c.later(hours=2)
    c.ban_start("lee_dawson", route=BanRoute.NOTICE, days=120, review_after=60,
                reasons="You grabbed another parent in the playground.",
                arrangements="His partner brings and collects Leo.")
    c.letter(K.INTENDED_BAN)


def kelly_marsh(c):
    """A provisional ban in force, with representations received, waiting for the head's decision."""
    yield c.day(13, "08:40")
    c.log(subjects=["kelly_marsh"], categories=["aggression", "offensive-language"], hours_before=0.2,
          description="Slapped her own child across the face in the playground and swore at the teacher who "
                      "intervened.", detail="the infant playground at the start of the day",
          reported_by="Miss Owen, Year 1 teacher", pupils_affected="Her child, in Year 1")
    yield c.later(hours=1)
    c.gather()
    c.statement("Miss Owen, Year 1 teacher", "I saw the slap; Evie was crying. I followed safeguarding procedures.")
    yield c.later(hours=5)
    c.to_conversation()
    c.not_spoken(NotPossibleReason.DECLINED, "She refused to speak to the school.")
    yield c.later(days=1)
    c.propose([A.SITE_BAN, A.AUTHORITIES], "Physical punishment of her child on site, and abuse of staff.",
              "Pupils' safety: the designated safeguarding lead asks for her to be kept off site meanwhile.")
    yield c.later(days=1)
    c.consult("Agreed: a provisional ban now, and hear her out.")
    yield c.later(hours=2)
    c.decide("A provisional ban at once, with her representations considered before it is confirmed.")
    c.done(A.AUTHORITIES, "Referred to the local authority's children's services.", reference=f"KCC-FD-{c.now:%y}-1187")
    c.ban_start("kelly_marsh", route=BanRoute.PROVISIONAL, days=120, review_after=60,
                reasons="You physically punished your child and swore at a member of staff on the school site.",
                arrangements="Her mother brings and collects Evie at the main gate.")
    c.letter(K.PROVISIONAL_BAN, sent_by=SentBy.HAND)
    yield c.later(days=6, hours=3)
    c.representations("She wrote that she regrets what happened, is attending a parenting course and asks to be "
                      "allowed to collect Evie from the gate.")


def wayne_booth(c):
    """A confirmed ban lifted early on review, a fortnight ago: reception's register says he may return."""
    yield c.day(90, "15:20")
    c.log(subjects=["wayne_booth"], categories=["threatening", "offensive-language"], hours_before=0.3,
          description="Swore at and threatened the head in the car park about his son's exclusion.",
          detail="the staff car park", reported_by="Mrs Hart, head", staff_affected="Head")
    yield c.later(hours=2)
    c.gather()
    c.statement("Mrs Patel, office manager", "I heard him shout that he knew where the head lived.")
    yield c.later(days=1)
    c.to_conversation()
    c.not_spoken(NotPossibleReason.RISK, "The threat was to the head personally.")
    yield c.later(days=1)
    c.propose([A.SITE_BAN], "A threat to the head.", "A personal threat: staff must be protected at once.")
    yield c.later(days=1)
    c.consult("I agree; review it after a term.")
    yield c.later(hours=2)
    c.decide("A provisional ban, reviewed after a term.")
    c.ban_start("wayne_booth", route=BanRoute.PROVISIONAL, days=365, review_after=120,
                reasons="You threatened the head in the staff car park.",
                arrangements="Oscar walks to school with his older sister.")
    c.letter(K.PROVISIONAL_BAN)
    yield c.later(days=15)
    c.no_representations()
    c.confirm("The threat was serious and personal, and you have made no representations about it.")
    c.letter(K.BAN_CONFIRMATION)
    yield c.later(days=1)
    c.close("Ban confirmed for a year, to be reviewed after a term.")
    yield c.later(days=55)
    c.review(ReviewOutcome.LIFT, "You apologised in writing, met me with the family liaison officer and have kept "
             "to every arrangement since the ban began. The ban is no longer needed.")
    c.letter(K.BAN_WITHDRAWN)


def dean_shaw(c):
    """A notice of intended ban confirmed early on his own representations: it starts in a few days, so reception
    is briefed before it begins."""
    yield c.day(8, "15:10")
    c.log(subjects=["dean_shaw"], categories=["threatening", "offensive-language"], hours_before=0.2,
          description="Followed the Year 6 teacher to her car after school, shouting that she had 'better watch "
                      "herself' over his son's detention.", detail="the staff car park after school",
          reported_by="Mr Okafor, site manager", staff_affected="Year 6 teacher")
    yield c.later(hours=1)
    # What the school knew already (issue 26): the code came with Callum's Reception pack, and his grandmother
    # collects him, told of the code at the office the week she started.
    c.code_given("dean_shaw", given_on=date(c.today().year - 6, 9, 3),
                 how=CodeGivenHow.ADMISSION_PACK, note="With Callum's Reception starter pack")
    c.collector("dean_shaw", "Maureen Shaw", "grandmother", told_on=c.today() - timedelta(days=400))
    c.gather()
    c.statement("Mr Okafor, site manager", "I walked over and stood with her until he drove off.")
    yield c.later(hours=20)
    c.to_conversation()
    c.spoke("He said he was angry but meant nothing by it.", "Nothing: he said he would not be told what to do.")
    yield c.later(hours=3)
    c.propose([A.SITE_BAN], "A threat to a teacher, followed to her car.",
              "He followed a teacher to her car and threatened her; he would not agree to keep away.")
    yield c.later(hours=20)
    c.consult("Proportionate, after notice.", method=ConsultationMethod.PHONE)
    yield c.later(hours=2)
    c.decide("A notice of intended ban, so that he can make representations first.")
    c.ban_start("dean_shaw", route=BanRoute.NOTICE, days=90, review_after=45,
                reasons="You followed a teacher to her car and threatened her.",
                arrangements="Callum's grandmother brings and collects him.")
    c.letter(K.INTENDED_BAN)
    yield c.later(days=3)
    c.representations("He wrote that he does not dispute what happened and will not come onto the site.")
    yield c.later(hours=20)
    c.confirm("You do not dispute what happened; the ban starts on the date given in the notice.")
    c.letter(K.BAN_CONFIRMATION)


def rachel_finch(c):
    """A notice of intended ban, withdrawn after her representations."""
    yield c.day(262, "08:50")
    c.log(subjects=["rachel_finch"], categories=["offensive-language", "disruptive-behaviour"], hours_before=0.2,
          description="Shouted at the office staff and refused to leave reception until the head saw her.",
          detail="reception", reported_by="Mrs Patel, office manager", staff_affected="Office staff")
    yield c.later(hours=2)
    c.gather()
    c.statement("Mrs Patel, office manager", "She stayed forty minutes and shouted at anyone who came in.")
    yield c.later(days=1)
    c.to_conversation()
    c.not_spoken(NotPossibleReason.UNREACHABLE, "She did not answer calls or the letter inviting her in.")
    yield c.later(days=1)
    c.propose([A.SITE_BAN], "Sustained disruption of the office.", "She would not engage; the disruption was long.")
    yield c.later(days=1)
    c.consult("A notice, so she can respond.", method=ConsultationMethod.EMAIL)
    yield c.later(hours=3)
    c.decide("A notice of intended ban.")
    c.ban_start("rachel_finch", route=BanRoute.NOTICE, days=90, review_after=45,
                reasons="You disrupted the school office and refused to leave.",
                arrangements="Isla's childminder brings and collects her.")
    c.letter(K.INTENDED_BAN)
    yield c.later(days=6)
    c.representations("She wrote that her mother had died that week, apologised to the office staff and asked to "
                      "meet the head.")
    yield c.later(days=2)
    c.withdraw("Your representations explain what happened that day. Thank you for your apology to the office "
               "staff and for meeting me.")
    c.letter(K.BAN_WITHDRAWN)
    yield c.later(days=1)
    c.close("Notice withdrawn after her representations; she met the head and apologised.")


def tony_wells(c):
    """A short ban that ran its course."""
    yield c.day(520, "15:30")
    c.log(subjects=["tony_wells"], categories=["aggression", "threatening"], hours_before=0.2,
          description="Squared up to a teaching assistant at the gate and shouted in her face.",
          detail="the main gate at pick-up time", reported_by="Mr Lee, gate supervisor",
          staff_affected="Teaching assistant")
    yield c.later(hours=1)
    c.gather()
    c.statement("Mr Lee, gate supervisor", "I had to stand between them.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("He said he lost his temper.", "He accepted a short ban.")
    yield c.later(days=1)
    c.propose([A.SITE_BAN], "Aggression towards a member of staff.", "He squared up to a member of staff.")
    yield c.later(days=1)
    c.consult("A short ban is proportionate.")
    yield c.later(hours=2)
    c.decide("A three-month provisional ban.")
    c.ban_start("tony_wells", route=BanRoute.PROVISIONAL, days=90, review_after=60,
                reasons="You were aggressive towards a teaching assistant at the gate.",
                arrangements="Freddie's mother brings and collects him.")
    c.letter(K.PROVISIONAL_BAN)
    yield c.later(days=15)
    c.no_representations()
    c.confirm("You squared up to a member of staff, and you have told me of nothing that changes that.")
    c.letter(K.BAN_CONFIRMATION)
    yield c.later(days=1)
    c.close("A three-month ban confirmed.")
    yield c.later(days=78)
    c.end_ban()


# Closed cases, and one reopened -------------------------------------------------------------------


def neil_ford(c):
    """The Chair did not sign off a ban: a warning instead."""
    yield c.day(203, "15:20")
    c.log(subjects=["neil_ford"], categories=["offensive-language"], hours_before=0.3,
          description="Swore at the teacher on the gate about a lost coat.", detail="the main gate",
          reported_by="Mr Lee, gate supervisor")
    yield c.later(days=1)
    c.gather()
    c.statement("Mr Lee, gate supervisor", "Loud swearing, no threat.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("He apologised.", "He will not swear on site again.")
    yield c.later(days=1)
    c.propose([A.SITE_BAN], "Repeated swearing at staff.", "Staff are tired of his swearing.")
    yield c.later(days=1)
    c.consult("Staff should not have to put up with it, but a ban is too much for a first incident.",
              signed_off=False, reasons_not_signed="A first incident with no threat: a warning letter first.")
    yield c.later(days=1)
    c.propose([A.WARNING_LETTER], "As the Chair advised: a warning letter first.")
    yield c.later(days=1)
    c.decide("A warning letter.")
    c.letter(K.WARNING)
    yield c.later(days=3)
    c.close("Warning letter sent; no further incident.")


def sam_taylor(c):
    """Closed, then reopened: the warning letter had a mistake and a correction supersedes it."""
    yield c.day(96, "15:25")
    c.log(subjects=["sam_taylor"], categories=["offensive-language", "inappropriate-behaviour"], hours_before=0.3,
          description="Argued loudly with the after-school club staff on Tuesday and filmed them on a phone.",
          detail="the after-school club", reported_by="Ms Ward, club leader", staff_affected="Club staff")
    yield c.later(days=1)
    c.gather()
    c.statement("Ms Ward, club leader", "Filmed us and said it would go on Facebook.")
    yield c.later(days=2)
    c.to_conversation()
    c.spoke("Mx Taylor says the club overcharged them.", "The office will check the bill.")
    yield c.later(days=2)
    c.propose([A.WARNING_LETTER], "Filming staff is not acceptable.")
    yield c.later(days=2)
    c.decide("A warning letter.")
    warning = c.letter(K.WARNING, sent_by=SentBy.EMAIL)
    yield c.later(days=2)
    c.close("Warning letter sent.")
    yield c.day(3, "10:30")
    c.reopen("Mx Taylor wrote that the letter gives the wrong day: the argument was on the Wednesday.")
    yield c.later(hours=2)
    c.correct(warning, "On Wednesday at the after-school club, you argued loudly with staff and filmed them.",
              sent_by=SentBy.EMAIL)


def amanda_clarke(c):
    yield c.day(470, "18:10")
    c.log(subjects=["amanda_clarke"], categories=["offensive-language"], hours_before=0.5,
          description="Raised her voice and swore at the class teacher at parents' evening.",
          detail="the Year 3 classroom at parents' evening", reported_by="Mr Young, Year 3 teacher")
    yield c.later(days=1)
    c.gather()
    c.statement("Mr Young, Year 3 teacher", "Other parents were waiting outside and heard it.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("She was upset about reading levels.", "She will meet the deputy head.")
    yield c.later(days=1)
    c.propose([A.MEETING], "A first incident: a meeting will help.")
    yield c.later(days=1)
    c.decide("Agreed.")
    c.letter(K.MEETING_INVITATION)
    yield c.later(days=8)
    c.close("Met the deputy head; agreed a reading plan.")


def amanda_clarke_again(c):
    yield c.day(240, "15:25")
    c.log(subjects=["amanda_clarke"], categories=["offensive-language", "disruptive-behaviour"], hours_before=0.3,
          description="Shouted at the teacher on the gate about a lost reading book, in front of the queue.",
          detail="the main gate", reported_by="Mr Lee, gate supervisor")
    yield c.later(days=1)
    c.gather()
    c.statement("Mr Lee, gate supervisor", "The second time; she calmed down after a few minutes.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("She apologised.", "")
    yield c.later(days=1)
    c.propose([A.WARNING_LETTER], "A second incident after a meeting last year: a warning.")
    yield c.later(days=2)
    c.decide("A warning letter, given the earlier meeting.")
    c.letter(K.WARNING)
    yield c.later(days=5)
    c.close("Warning letter sent.")


def peter_lomax(c):
    yield c.day(72, "08:50")
    c.log(subjects=["peter_lomax"], categories=["disruptive-behaviour"], hours_before=0.3,
          description="Parked across the school's emergency access and refused to move when asked.",
          location=Location.OFF_SITE, detail="the emergency access in Church Lane", reported_by="Mr Khan, site manager")
    yield c.later(days=1)
    c.gather()
    c.statement("Mr Khan, site manager", "He said he would be two minutes and stayed twenty.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("He did not think it mattered.", "Both parents will come in.")
    yield c.later(days=1)
    c.propose([A.MEETING], "A meeting with both parents, as they asked.")
    yield c.later(days=1)
    c.decide("Agreed.")
    c.letter(K.MEETING_INVITATION, sent_by=SentBy.EMAIL,
             specific="Please come to the school office at 8.45 on Thursday; the meeting will take about twenty "
                      "minutes.")
    yield c.later(days=6)
    c.close("Met both parents; they will park in the public car park.")


def jordan_kay(c):
    yield c.day(160, "15:20")
    c.log(subjects=["jordan_kay"], categories=["smoking-drugs-alcohol", "offensive-language"], hours_before=0.3,
          description="Smoked at the gate during pick-up and swore at the teacher who asked them to stop.",
          detail="the main gate at pick-up time", reported_by="Mr Lee, gate supervisor")
    yield c.later(days=1)
    c.gather()
    c.statement("Mr Lee, gate supervisor", "Smoking within a metre of the children.")
    yield c.later(days=1)
    c.to_conversation()
    c.not_spoken(NotPossibleReason.DECLINED, "Did not want to talk about it.")
    yield c.later(days=1)
    c.propose([A.WARNING_LETTER], "Smoking at the gate after being asked not to.")
    yield c.later(days=1)
    c.decide("Agreed.")
    c.letter(K.WARNING)
    yield c.later(days=7)
    c.close("Warning letter sent; no smoking since.")


def ryan_hughes(c):
    yield c.day(110, "09:30")
    post = ("Mrs Reed at All Saints should NOT be teaching. Picks on the kids she doesn't like and the school "
            "does nothing. Keep your kids away from her class!!!")
    c.log(subjects=["ryan_hughes"], categories=["derogatory-social-media"], hours_before=14,
          location=Location.ONLINE, detail="the 'Ashford Parents Chat' Facebook group",
          description="Posted a derogatory comment naming the Year 3 teacher in a local parents' Facebook group.",
          reported_by="A parent, who sent a screenshot", staff_affected="Year 3 teacher",
          evidence=[(files.post_screenshot(author="Ryan Hughes", group="Ashford Parents Chat", text=post,
                                           when="Yesterday at 21:14"),
                     "Screenshot of the post, as the parent sent it")])
    yield c.later(hours=3)
    c.gather()
    c.statement("Mrs Reed, Year 3 teacher", "I was upset: the group has two thousand members.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("He said he was angry about his son's report.", "He will remove the post.")
    yield c.later(days=1)
    c.propose([A.WARNING_LETTER, A.REPORT_POST], "A warning, and the post reported to Facebook.")
    yield c.later(days=1)
    c.decide("Agreed.")
    c.letter(K.WARNING)
    c.done(A.REPORT_POST, "Reported through Facebook's form; the post was removed the next day.")
    yield c.later(days=4)
    c.close("Warning letter sent; the post was taken down.")


def brian_moss(c):
    yield c.day(380, "11:10")
    c.log(subjects=["brian_moss"], categories=["offensive-language", "smoking-drugs-alcohol"], hours_before=0.4,
          description="A delivery driver smoked in the kitchen yard and swore at the cook who asked him to stop.",
          detail="the kitchen yard", reported_by="Mrs Bell, cook")
    yield c.later(days=1)
    c.gather()
    c.statement("Mrs Bell, cook", "He smoked next to the open kitchen door.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("He apologised.", "The supplier will send another driver.", present="Business manager and the driver")
    yield c.later(days=1)
    c.propose([A.WARNING_LETTER], "A warning to the visitor; the supplier told.")
    yield c.later(days=1)
    c.decide("Agreed.")
    c.letter(K.WARNING)
    yield c.later(days=3)
    c.close("Warning letter sent; the supplier changed the driver.")


SCRIPTS = [
    mark_brown, sarah_green, paul_white, gary_field, karen_black, steven_grey, lisa_stone, michelle_grant,
    darren_cole, jason_reid, joanne_pike, lee_dawson, kelly_marsh, wayne_booth, dean_shaw, rachel_finch,
    tony_wells,
    neil_ford, sam_taylor, amanda_clarke, amanda_clarke_again, peter_lomax, jordan_kay, ryan_hughes, brian_moss,
    # Short closed cases, to give the reports a year and a half of history.
    lambda c: routine(c, "imran_shah", 200, ["approaching-child"], "Told off another child in the playground for "
                      "excluding his daughter.", end="closed-nfa"),
    lambda c: routine(c, "chloe_adams", 420, ["smoking-drugs-alcohol"], "Vaped at the gate at pick-up.",
                      end="closed-meeting"),
    lambda c: routine(c, "helen_price", 300, ["dogs"], "Brought a large dog into the playground at pick-up.",
                      end="closed-nfa"),
]
