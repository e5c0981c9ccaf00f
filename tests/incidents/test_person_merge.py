"""person_merge: two records of one person made one, every row that named the duplicate following the survivor."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conduct.models import StaffRole
from conduct.roles import Role
from incidents import services
from incidents.models import (
    CaseEvent,
    IncidentPerson,
    Involvement,
    MatchReason,
    Person,
    PersonAlias,
    PersonMatch,
    PersonMerge,
    PersonSchool,
    PersonSchoolNote,
    Pupil,
)
from incidents.workflow import Stage
from sanctions.audit import run_audit
from sanctions.bans import services as ban_services
from sanctions.letters import services as letter_services
from sanctions.models import BanRoute, Letter, LetterStatus, SiteBan


def trust_user(name, role):
    user = get_user_model().objects.create_user(username=name, password="pw-for-tests-only")
    StaffRole.objects.create(user=user, role=role, school=None)
    return user


@pytest.fixture
def dpo(personas):
    return trust_user("dpo", Role.DPO)


@pytest.fixture
def admin(personas):
    return trust_user("admin", Role.ADMIN)


def ban_with_letter(build, personas, school, person):
    """A decided ban case about `person`, the ban started and its letter issued."""
    incident = build.case(stage=Stage.DECIDED, ban=True, person=person, categories=("threatening",))
    today = timezone.localdate()
    ban = ban_services.ban_create(
        actor=personas["head"], incident=incident, person=person, route=BanRoute.PROVISIONAL, sites=[school],
        starts_on=today, ends_on=today + timedelta(days=180), review_on=today + timedelta(days=90),
        pupil_arrangements="Sam is collected from the office entrance.", reasons="Staff felt threatened.",
    )
    letter = letter_services.letter_issue(actor=personas["head"], letter=ban.letters.get(), sent_by="post")
    return incident, ban, letter


@pytest.fixture
def jason(build, personas, school):
    """Two records of Jason Reid at the first school: one with a ban and its issued letter, one with a case."""
    first = build.person(name="Jason Reid")
    second = build.person(name="Jason Reid")
    ban_case, ban, letter = ban_with_letter(build, personas, school, first)
    other_case = build.case(person=second)
    return {"first": first, "second": second, "ban_case": ban_case, "ban": ban, "letter": letter,
            "other_case": other_case}


def merge(actor, survivor, duplicate, reason="The same man: same phone, same child."):
    return services.person_merge(actor=actor, survivor=survivor, duplicate=duplicate, reason=reason)


def test_every_case_letter_and_ban_follows_the_survivor(jason, personas):
    pdf_before = bytes(jason["letter"].pdf)
    record = merge(personas["head"], jason["second"], jason["first"])
    survivor = jason["second"]
    assert not Person.objects.filter(pk=jason["first"].pk).exists()
    assert set(IncidentPerson.objects.filter(person=survivor).values_list("incident_id", flat=True)) == {
        jason["ban_case"].pk, jason["other_case"].pk}
    assert SiteBan.objects.get(pk=jason["ban"].pk).person_id == survivor.pk
    letter = Letter.objects.get(pk=jason["letter"].pk)
    assert letter.person_id == survivor.pk and letter.status == LetterStatus.ISSUED
    assert bytes(letter.pdf) == pdf_before
    assert Pupil.objects.filter(person=survivor).count() == 2
    assert record.moved["incident_links"] == 1 and record.moved["sanctions.SiteBan.person"] == 1
    assert record.moved["sanctions.Letter.person"] >= 1


def test_the_audit_passes_afterwards(jason, personas):
    merge(personas["head"], jason["second"], jason["first"])
    assert run_audit() == []
    assert PersonSchool.objects.missing() == []


def test_history_follows_and_the_deleted_record_says_where_it_went(jason, personas):
    first, second = jason["first"], jason["second"]
    merge(personas["head"], second, first)
    assert not SiteBan.history.filter(person_id=first.pk).exists()
    assert not IncidentPerson.history.filter(person_id=first.pk).exists()
    assert not Pupil.history.filter(person_id=first.pk).exists()
    assert SiteBan.history.filter(person_id=second.pk, history_change_reason__startswith="Person records merged")
    deleted = Person.history.filter(id=first.pk).latest("history_date")
    assert deleted.history_type == "-" and deleted.history_change_reason == f"merged into #{second.pk}"
    assert deleted.history_user == personas["head"]
    assert Person.history.filter(id=first.pk).count() >= 2  # its own history stays


def test_the_merge_is_recorded_on_cases_the_person_and_the_log(jason, personas, caplog):
    first, second = jason["first"], jason["second"]
    version = second.version
    with caplog.at_level(logging.INFO, logger="conduct.audit"):
        record = merge(personas["head"], second, first)
    summary = f"Person records merged: Jason Reid (#{first.pk}) into Jason Reid"
    assert CaseEvent.objects.filter(incident=jason["ban_case"], kind="person_merged", summary=summary).exists()
    second.refresh_from_db()
    assert second.version == version + 1
    assert record.survivor == second and record.merged_person_id == first.pk and record.merged_name == "Jason Reid"
    assert record.merged_details["email"] == "pat@example.com" and record.merged_by == personas["head"]
    assert record.reason == "The same man: same phone, same child."
    lines = [r.getMessage() for r in caplog.records if r.name == "conduct.audit"]
    assert any(line.startswith("person_merged") and f"merged={first.pk}" in line for line in lines)


def test_a_case_naming_both_keeps_one_link_the_subjects(build, personas):
    subject, witness = build.person(name="Jason Reid"), build.person(name="Jason Reid")
    incident = services.incident_create(
        actor=personas["office"], school=build.school, occurred_at=timezone.now() - timedelta(days=1),
        location="premises", description="Shouted.", categories=build_categories(), subjects=[subject],
        witnesses=[witness], reported_by="Teacher")
    merge(personas["head"], witness, subject)
    links = IncidentPerson.objects.filter(incident=incident)
    assert [(link.person_id, link.involvement) for link in links] == [(witness.pk, Involvement.SUBJECT)]


def build_categories():
    from incidents.models import BreachCategory

    return BreachCategory.objects.filter(code="offensive-language")


def test_notes_are_joined_and_the_old_name_becomes_another_name(build, personas, school):
    survivor, duplicate = build.person(name="Jason Reid"), build.person(name="J. Reid")
    services.person_update(actor=personas["office"], person=survivor, expected_version=survivor.version,
                           notes="Calm on the phone.")
    services.person_update(actor=personas["office"], person=duplicate, expected_version=duplicate.version,
                           notes="Shouted at the gate.", add_aliases=[{"name": "JR", "note": "nickname"}])
    merge(personas["head"], survivor, duplicate)
    note = PersonSchoolNote.objects.get(person=survivor, school=school)
    assert note.notes == "Calm on the phone.\n\nShouted at the gate."
    names = set(PersonAlias.objects.filter(person=survivor).values_list("name", "note"))
    assert names == {("JR", "nickname"), ("J. Reid", "merged record")}


def test_cross_school_pairs_follow_and_settled_pairs_go(build, personas, school, other_school):
    survivor, duplicate = build.person(name="Jason Reid"), build.person(name="Jason Reid")
    elsewhere = build.person(name="Jason Reid", school=other_school)
    PersonMatch.objects.create(school=school, person=duplicate, other_school=other_school, other_person=elsewhere,
                               reason=MatchReason.LIKELY)
    PersonMatch.objects.create(school=school, person=survivor, other_school=other_school, other_person=elsewhere,
                               reason=MatchReason.LIKELY)
    # The DPO: `elsewhere` is at another school, but the two merged records are the first school's only.
    dpo = trust_user("dpo", Role.DPO)
    merge(dpo, survivor, duplicate)
    assert list(PersonMatch.objects.values_list("person_id", "other_person_id")) == [(survivor.pk, elsewhere.pk)]


def test_a_pair_of_the_two_records_is_settled_by_the_merge(build, personas, school, other_school, dpo):
    here, there = build.person(name="Jason Reid"), build.person(name="Jason Reid", school=other_school)
    PersonMatch.objects.create(school=school, person=here, other_school=other_school, other_person=there,
                               reason=MatchReason.LIKELY)
    merge(dpo, here, there)
    assert not PersonMatch.objects.exists()
    assert set(PersonSchool.objects.filter(person=here).values_list("school_id", flat=True)) == {
        school.pk, other_school.pk}
    assert run_audit() == []


def test_a_second_merge_after_the_first(jason, build, personas):
    third = build.person(name="Jason Reid")
    third_case = build.case(person=third)
    merge(personas["head"], jason["second"], jason["first"])
    merge(personas["head"], third, jason["second"])
    assert set(IncidentPerson.objects.filter(person=third).values_list("incident_id", flat=True)) == {
        jason["ban_case"].pk, jason["other_case"].pk, third_case.pk}
    # The first merge's record follows the surviving person too.
    assert set(PersonMerge.objects.filter(survivor=third).values_list("merged_person_id", flat=True)) == {
        jason["first"].pk, jason["second"].pk}
    assert Person.objects.filter(full_name="Jason Reid").count() == 1
    assert run_audit() == [] and PersonSchool.objects.missing() == []


# Who may merge ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["office", "senior", "chair", "trust", "other_office", "other_head", "inactive"])
def test_only_a_head_of_the_school_may_merge(persona, build, personas):
    survivor, duplicate = build.person(name="Jason Reid"), build.person(name="Jason Reid")
    with pytest.raises(PermissionDenied):
        merge(personas[persona], survivor, duplicate)
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_a_head_cannot_merge_a_record_also_known_at_another_school(build, personas, other_school):
    survivor, duplicate = build.person(name="Jason Reid"), build.person(name="Jason Reid")
    build.case(person=duplicate, school=other_school)  # named in a case at the second school
    with pytest.raises(PermissionDenied):
        merge(personas["head"], survivor, duplicate)
    with pytest.raises(PermissionDenied):
        merge(personas["other_head"], survivor, duplicate)
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_a_head_of_both_schools_may(build, personas, other_school):
    survivor, duplicate = build.person(name="Jason Reid"), build.person(name="Jason Reid", school=other_school)
    StaffRole.objects.create(user=personas["head"], role=Role.HEAD, school=other_school)
    merge(personas["head"], survivor, duplicate)
    assert not Person.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.parametrize("who", ["dpo", "admin"])
def test_the_dpo_and_the_trust_administrator_merge_across_the_trust(who, build, request, other_school):
    survivor, duplicate = build.person(name="Jason Reid"), build.person(name="Jason Reid", school=other_school)
    merge(request.getfixturevalue(who), survivor, duplicate)
    assert PersonMerge.objects.get().survivor == survivor


def test_a_record_is_not_merged_into_itself(build, personas):
    person = build.person(name="Jason Reid")
    with pytest.raises(ValidationError):
        merge(personas["head"], person, person)


def test_a_reason_is_needed(build, personas):
    survivor, duplicate = build.person(name="Jason Reid"), build.person(name="Jason Reid")
    with pytest.raises(ValidationError):
        merge(personas["head"], survivor, duplicate, reason="  ")
