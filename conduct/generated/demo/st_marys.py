"""St Mary's demo cases: a year and a half of ordinary cases, at every stage.

St Mary's demo staff are its office and its head (who gathers and proposes as
well). Jason Reid was warned here before All Saints banned him from its site.
"""

from conduct.generated.demo import files
from conduct.generated.demo.story import routine
from incidents.models import Location
from sanctions.models import ActionKind as A
from sanctions.models import LetterKind as K


def jason_reid_at_st_marys(c):
    yield c.day(400, "08:50")
    c.log(subjects=["jason_reid"], categories=["offensive-language"], hours_before=0.3,
          description="Swore at the office staff when told Ava's school dinner account was in debt.",
          detail="the school office", reported_by="Mrs Gill, office manager", staff_affected="Office staff")
    yield c.later(days=1)
    c.gather()
    c.statement("Mrs Gill, office manager", "He swore repeatedly and slammed the door.")
    yield c.later(days=1)
    c.to_conversation()
    c.spoke("He said he was embarrassed about the debt.", "A payment plan; he will not raise his voice again.")
    yield c.later(days=1)
    c.propose([A.WARNING_LETTER], "Swearing at office staff: a warning.")
    yield c.later(days=1)
    c.decide("A warning letter.")
    c.letter(K.WARNING)
    yield c.later(days=4)
    c.close("Warning letter sent; payment plan agreed.")


def nina_jones_post(c):
    yield c.day(2, "09:05")
    post = ("Honestly the teachers at St Mary's are a joke. Mr Howard couldn't run a bath let alone a school. "
            "Anyone else fed up?")
    c.log(subjects=["nina_jones"], categories=["derogatory-social-media"], hours_before=13,
          location=Location.ONLINE, detail="a parents' Facebook group",
          description="Posted derogatory comments about the head and teachers in a parents' Facebook group.",
          reported_by="A parent, who sent a screenshot", staff_affected="Head",
          evidence=[(files.post_screenshot(author="Nina Jones", group="St Mary's Parents (unofficial)", text=post,
                                           when="Yesterday at 20:02", name="st-marys-post.png"),
                     "Screenshot of the post")])


def nina_jones_dog(c):
    yield c.day(6, "08:45")
    c.log(subjects=["nina_jones"], categories=["dogs"], description="Brought a dog into the playground.",
          detail="the playground at drop-off", hours_before=0.3, reported_by="Mrs Gill, office manager")
    yield c.later(days=1)
    c.gather()


SCRIPTS = [
    jason_reid_at_st_marys, nina_jones_post, nina_jones_dog,
    lambda c: routine(c, "tom_baker", 4, ["offensive-language"], "Swore at the lollipop man outside school.",
                 end="reported", location=Location.OFF_SITE, detail="the crossing in Mill Road"),
    lambda c: routine(c, "fiona_walsh", 16, ["disruptive-behaviour"], "Argued with the teacher during the nativity "
                 "rehearsal and would not leave the hall.", end="gathering", detail="the school hall"),
    lambda c: routine(c, "gareth_evans", 9, ["approaching-child"], "Told off another pupil at the gate for "
                 "taking his son's football.", end="conversation"),
    lambda c: routine(c, "priya_patel", 8, ["abusive-messages"], "Sent a rude email to the office about "
                 "lunchtime supervision.", end="proposed-warning", location=Location.ONLINE,
                 detail="email to the office"),
    lambda c: routine(c, "kevin_doyle", 7, ["threatening", "aggression"], "Threatened the caretaker and pushed a "
                 "wheelie bin at him.", end="awaiting_chair", detail="the car park"),
    lambda c: routine(c, "laura_hill", 12, ["offensive-language"], "Shouted at the Reception teacher at the "
                 "classroom door.", end="decided-meeting", detail="the Reception classroom door"),
    lambda c: routine(c, "marcus_king", 34, ["inappropriate-behaviour"], "Filmed pupils in the playground on his "
                 "phone and refused to delete it.", end="decided-warning", detail="the playground"),
    lambda c: routine(c, "sue_carter", 25, ["dogs"], "Brought a dog into the playground.", end="closed-nfa"),
    lambda c: routine(c, "alex_morgan", 45, ["offensive-language"], "Swore at the office staff on the phone.",
                 end="closed-warning", location=Location.OFF_SITE, detail="a phone call to the office"),
    lambda c: routine(c, "dean_harris", 60, ["smoking-drugs-alcohol"], "Smoked at the gate at pick-up.",
                 end="closed-meeting"),
    lambda c: routine(c, "emma_wood", 75, ["disruptive-behaviour"], "Refused to leave the playground after the "
                 "bell.", end="closed-nfa"),
    lambda c: routine(c, "craig_foster", 90, ["derogatory-social-media"], "Posted a rude comment about the school "
                 "dinners on Facebook.", end="closed-warning", location=Location.ONLINE,
                 detail="a Facebook comment"),
    lambda c: routine(c, "tom_baker", 120, ["offensive-language"], "Swore in the playground in front of pupils.",
                 end="closed-meeting"),
    lambda c: routine(c, "fiona_walsh", 150, ["abusive-messages"], "Sent abusive texts to a teaching assistant.",
                 end="closed-warning", location=Location.ONLINE, detail="text messages"),
    lambda c: routine(c, "gareth_evans", 185, ["dogs"], "Brought a dog to the school fair.", end="closed-nfa",
                 detail="the school field at the summer fair"),
    lambda c: routine(c, "priya_patel", 230, ["offensive-language"], "Shouted at the office about a lost "
                 "coat.", end="closed-meeting", detail="the school office"),
    lambda c: routine(c, "marcus_king", 270, ["disruptive-behaviour"], "Blocked the gate with his car at pick-up.",
                 end="closed-warning", location=Location.OFF_SITE, detail="Mill Road, outside the gate"),
    lambda c: routine(c, "laura_hill", 310, ["smoking-drugs-alcohol"], "Smelled strongly of alcohol at pick-up "
                 "and was unsteady.", end="closed-meeting"),
    lambda c: routine(c, "kevin_doyle", 350, ["offensive-language"], "Swore at another parent at sports day.",
                 end="closed-nfa", detail="the school field at sports day"),
    lambda c: routine(c, "sue_carter", 440, ["inappropriate-behaviour"], "Took photographs of other children at "
                 "the Christmas play.", end="closed-nfa", detail="the school hall"),
    lambda c: routine(c, "alex_morgan", 480, ["disruptive-behaviour"], "Argued with the head in the playground.",
                 end="closed-meeting"),
    lambda c: routine(c, "dean_harris", 515, ["threatening"], "Told a teacher she would 'regret it' after a "
                 "detention.", end="closed-warning", detail="the classroom door"),
    lambda c: routine(c, "emma_wood", 540, ["offensive-language"], "Swore at the crossing patrol.",
                 end="closed-nfa", location=Location.OFF_SITE, detail="the crossing in Mill Road"),
]
