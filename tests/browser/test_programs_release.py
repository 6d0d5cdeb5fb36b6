"""Issue 15 end to end, on a 360 px phone.

An instructor of Rutan Sumenep takes the attendance of a Kemendag design workshop for the batik group in a few
taps. Later the facility admin completes Siti's release checklist: her whole premi is paid out and a skills
certificate co-signed by Kemendag is issued. Anyone checks the certificate's code on the public page, which
confirms it without her name. With her consent she becomes an UMKM producer, whose public profile says nothing of
her past; signing in to her own back office she sees her premi savings as starting capital.
"""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from binakarya.ledger.models import Payout
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization, Role
from binakarya.programs.models import Activity, Attendance, Certificate, Livelihood
from binakarya.programs.services import agreement_create
from tests.browser.staff_menu import PASSWORD, go_by_menu, log_in, log_out
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.programs.skills import credit_premi

OWED_IDR = 185_000
FACILITY = "Rutan Kelas IIB Sumenep"
SITI = ("Siti Rahayu", "B.I-321/2025")
BUDI = ("Budi Santoso", "B.I-322/2025")


@pytest.fixture
def workshop(transactional_db):
    today = timezone.localdate()
    facility = OrganizationFactory(name=FACILITY, slug="rutan-sumenep", regency="Sumenep", province="Jawa Timur")
    kemendag = OrganizationFactory(
        kind=Organization.Kind.AGENCY, name="Kementerian Perdagangan (Ditjen PEN)", slug="kemendag"
    )
    agreement = agreement_create(
        actor=None,
        organization=facility,
        kind="PKS",
        number="DEMO/PKS/KEMENDAG/01",
        title="Pendampingan desain dan kemasan menuju ekspor",
        partners=[kemendag],
        signed_date=today - datetime.timedelta(days=30),
        start_date=today - datetime.timedelta(days=30),
    )
    group = GroupFactory(organization=facility, name="Kelompok Batik Tulis")
    siti = MakerFactory(
        organization=facility,
        full_name=SITI[0],
        registration_number=SITI[1],
        admission_date=today - datetime.timedelta(days=400),
        expected_release_date=today + datetime.timedelta(days=7),
    )
    budi = MakerFactory(organization=facility, full_name=BUDI[0], registration_number=BUDI[1])
    for maker in (siti, budi):
        GroupMembershipFactory(group=group, maker=maker, joined_date=today - datetime.timedelta(days=300))
    activity = Activity.objects.create(
        organization=facility,
        kind=Activity.Kind.DESIGN_MENTORING,
        title="Lokakarya desain batik bersama Kemendag",
        agreement=agreement,
        partner=kemendag,
        group=group,
        place="Aula Rutan Sumenep",
        start_date=today,
        end_date=today,
        hours=12,
        instructors="Tim desain Ditjen PEN",
    )
    credit_premi(siti, OWED_IDR)
    for username, role in (("instruktur-smp", Role.INSTRUCTOR), ("admin-smp", Role.FACILITY_ADMIN)):
        MembershipFactory(user=UserFactory(username=username), organization=facility, role=role)
    return {"facility": facility, "activity": activity, "siti": siti, "budi": budi, "today": today}


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def pdf_text(path: str) -> str:
    out = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_from_a_workshop_to_a_livelihood(page, screenshot, workshop):
    siti, budi, activity, today = workshop["siti"], workshop["budi"], workshop["activity"], workshop["today"]

    # given the instructor on the phone, at the workshop's page reached from the menu
    log_in(page, "instruktur-smp")
    go_by_menu(page, reverse("backoffice:program_activities"))
    page.get_by_role("link", name=activity.title).click()
    page.get_by_test_id("take-attendance").click()
    page.wait_for_url(f"**{reverse('backoffice:program_activity_attendance', args=[activity.pk])}")
    roster = page.get_by_test_id("roster")
    expect(roster.locator("input[name=present]:checked")).to_have_count(2)
    assert fits_the_phone(page)

    # when Budi is away: one tap to untick him, one to save
    roster.get_by_text(BUDI[0], exact=True).click()
    screenshot("attendance")
    page.locator("main form button[type=submit]").click()

    # then Siti has the workshop's 12 hours and Budi none
    page.wait_for_url(f"**{reverse('backoffice:program_activity', args=[activity.pk])}")
    assert {(a.maker_id, a.present, a.hours) for a in Attendance.objects.all()} == {
        (siti.pk, True, 12),
        (budi.pk, False, 0),
    }
    assert fits_the_phone(page)
    log_out(page)

    # when, a week later, the admin opens Siti's release checklist from the makers leaving soon
    log_in(page, "admin-smp")
    page.locator(f"main a[href='{reverse('backoffice:release_worklist')}']").click()
    page.get_by_test_id("release-checklist").click()
    page.wait_for_url(f"**{reverse('backoffice:program_release', args=[siti.pk])}")
    expect(page.get_by_test_id("owed")).to_have_text("Rp185.000")
    form = page.locator("main form")
    form.locator("select[name=payout_method]").select_option("RELEASE")
    form.locator("input[name=crafts]").fill("Batik tulis motif pesisir Sumenep")
    form.locator("input[name=hours]").fill("12")
    form.locator("input[name=period_start]").fill(today.isoformat())
    form.locator("input[name=period_end]").fill(today.isoformat())
    form.locator("select[name=partner]").select_option(label="Kementerian Perdagangan (Ditjen PEN)")
    form.locator("input[name=outcomes_consent]").check()
    expect(form.locator("input[name=name_consent]")).not_to_be_checked()
    assert fits_the_phone(page)
    screenshot("release-checklist")
    form.locator("button[type=submit]").click()

    # then her whole premi is paid on release, she is released, and her certificate is listed
    page.wait_for_url(f"**{reverse('backoffice:program_skills', args=[siti.pk])}")
    assert fits_the_phone(page)
    screenshot("skill-record")
    siti.refresh_from_db()
    assert siti.status == Maker.Status.RELEASED
    assert maker_premi_owed(maker=siti) == 0
    assert Payout.objects.get(maker=siti).amount_idr == OWED_IDR
    certificate = Certificate.objects.get(maker=siti)
    code = certificate.document.verify_code
    with page.expect_download() as download_info:
        page.locator(f"a[href='{reverse('backoffice:program_certificate_pdf', args=[certificate.pk])}']").click()
    text = pdf_text(download_info.value.path())
    assert SITI[0] in text and code in text and "Kementerian Perdagangan" in text
    log_out(page)

    # when anyone checks the certificate's code on the public page
    page.goto(reverse("storefront:verify", args=[code]))

    # then it is genuine, with the facility, the craft and the hours, and never her name or number
    main = page.locator("main")
    expect(main).to_contain_text(FACILITY)
    expect(main).to_contain_text("Batik tulis motif pesisir Sumenep")
    expect(main).to_contain_text("12")
    expect(page.get_by_test_id("certificate-name")).to_have_count(0)
    with translation.override("id"):
        day = date_format(today, "j F Y")
    expect(page.get_by_test_id("certificate-period")).to_have_text(f"{day} – {day}")
    html = page.content()
    assert SITI[0] not in html and "Siti" not in html and SITI[1] not in html
    assert fits_the_phone(page)
    screenshot("certificate-verified")

    # when, with her consent, the admin starts her livelihood as an UMKM producer
    log_in(page, "admin-smp")
    page.goto(reverse("backoffice:program_releases"))
    page.locator(f"a[href='{reverse('backoffice:program_livelihood', args=[siti.program_release.pk])}']").first.click()
    form = page.locator("main form")
    form.locator("input[name=consent_date]").fill(today.isoformat())
    form.locator("input[name=business_name]").fill("Batik Sekar Arum")
    form.locator("textarea[name=description]").fill("Batik tulis dan cap motif pesisir, dibuat dengan tangan.")
    form.locator("input[name=regency]").fill("Sumenep")
    form.locator("input[name=province]").fill("Jawa Timur")
    form.locator("input[name=operator_username]").fill("sekar.arum")
    form.locator("input[name=operator_password]").fill("sementara-123-abc")
    assert fits_the_phone(page)
    screenshot("livelihood-form")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:program_releases')}")
    producer = Livelihood.objects.get().producer
    expect(page.locator("main")).to_contain_text("Batik Sekar Arum")
    log_out(page)

    # then the producer's public profile is an ordinary UMKM's, with nothing of the past
    page.goto(reverse("storefront:producer", args=[producer.slug]))
    expect(page.locator("main h1")).to_contain_text("Batik Sekar Arum")
    # (the site's footer says, on every page, that inmates' identities are never shown: the profile is <main>)
    profile = page.locator("main").inner_html().lower()
    for word in (FACILITY.lower(), "rutan", "lapas", "warga binaan", "siti", SITI[1].lower(), "premi", "bebas"):
        assert word not in profile, word
    assert fits_the_phone(page)
    screenshot("producer-profile")

    # and signing in to her own back office (choosing her own password first) she sees her starting capital
    page.goto(reverse("accounts:login"))
    page.locator("main input[name=username]").fill("sekar.arum")
    page.locator("main input[name=password]").fill("sementara-123-abc")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('accounts:password_change')}")
    page.locator("main input[name=old_password]").fill("sementara-123-abc")
    page.locator("main input[name=new_password1]").fill(PASSWORD + "-sekar")
    page.locator("main input[name=new_password2]").fill(PASSWORD + "-sekar")
    page.locator("main form button[type=submit]").click()
    page.goto(reverse("backoffice:dashboard"))
    expect(page.get_by_test_id("starting-capital")).to_contain_text("Rp185.000")
    expect(page.locator("main")).not_to_contain_text(FACILITY)
    assert fits_the_phone(page)
    screenshot("starting-capital")
