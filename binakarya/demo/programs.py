"""Demo agreements with partner agencies (issue 15), made through ``programs.services`` from the field reports:

- Rutan Sumenep signed an MoU with six agencies, among them Polres Sumenep and Disperindag Sumenep, on the
  performance of its officers and the guidance (pembinaan) of inmates; Disperindag will help market the creative
  group's work. The demo has two of the six agencies; the MoU ends within 60 days, so its renewal alert shows.
- Kemendag (Ditjen PEN) and Kemenkumham signed an MoU on the quality, design and packaging of inmates' products
  toward export: workshops, design mentoring, information and promotion. Lapas Dirgantara records it here.

Rutan Sumenep records a PKS with Kemendag under that MoU, so that its design workshop (below) counts for it.

Activities (``program_activities_ensure``): Kemendag's design and packaging workshop at Rutan Sumenep under that
PKS, with the attendance of the batik group (one absent, one who left early), and Rutan Sumenep's stand at the
Hari Bakti Pemasyarakatan bazaar under its MoU with Disperindag, with the bazaar's cashier session when the demo
has one.

Numbers are invented and marked DEMO/…; the dates are relative to today, not the real signing dates.
Running it again changes nothing.
"""

import datetime

from django.utils import timezone

from binakarya.makers.models import Group, Maker
from binakarya.makers.selectors import group_members_on
from binakarya.organizations.models import Organization
from binakarya.pos.models import PosSession
from binakarya.programs.models import Activity, ActivityPosSession, Agreement, Attendance, Certificate
from binakarya.programs.services import (
    AttendanceRow,
    activity_attendance_record,
    activity_create,
    activity_pos_session_link,
    agreement_create,
    certificate_issue,
    obligation_add,
    obligation_done,
)

# (organization, number, kind, title, partners, signed days ago, ends in days or None, scope,
#  obligations: (party slug or None for our side, description, due in days, done))
AGREEMENTS = [
    (
        "rutan-sumenep",
        "DEMO/RTN-SMP/MOU/001",
        "MOU",
        "Peningkatan kinerja petugas pemasyarakatan dan pembinaan warga binaan",
        ["polres-sumenep", "disperindag-sumenep"],
        320,
        45,
        "Kerja sama dengan instansi samping agar warga binaan menjadi insan yang lebih baik: disiplin kerja petugas, "
        "lingkungan bebas narkoba dan pungli, serta pemasaran hasil karya kelompok kreatif rutan.",
        [
            ("disperindag-sumenep", "Membantu memasarkan hasil karya kelompok kreatif rutan", -60, True),
            ("polres-sumenep", "Penyuluhan hukum dan bahaya narkoba bagi warga binaan", 20, False),
            (None, "Laporan pelaksanaan kerja sama semester pertama", -10, False),
        ],
    ),
    (
        "lapas-dirgantara",
        "DEMO/KEMENDAG-KEMENKUMHAM/MOU/001",
        "MOU",
        "Pengembangan mutu, desain dan kemasan produk warga binaan menuju pasar ekspor",
        ["kemendag-pen"],
        200,
        None,
        "Nota kesepahaman Kementerian Perdagangan dan Kementerian Hukum dan HAM: peningkatan kemampuan sumber daya "
        "manusia, pendampingan desain dalam bentuk lokakarya, serta pemberian informasi dan promosi produk warga "
        "binaan.",
        [
            (None, "Menyiapkan produk unggulan untuk kurasi desain", -90, True),
            ("kemendag-pen", "Lokakarya pendampingan desain dan kemasan", 30, False),
        ],
    ),
    (
        "rutan-sumenep",
        "DEMO/RTN-SMP/PKS/002",
        "PKS",
        "Pelaksanaan nota kesepahaman Kemendag–Kemenkumham di Rutan Sumenep: lokakarya desain dan kemasan",
        ["kemendag-pen"],
        60,
        None,
        "Perjanjian kerja sama turunan nota kesepahaman Kementerian Perdagangan dan Kementerian Hukum dan HAM: "
        "lokakarya pendampingan desain dan kemasan bagi kelompok kreatif Rutan Sumenep.",
        [],
    ),
]


def program_agreements_ensure(orgs: dict[str, Organization]) -> int:
    """The demo agreements that are missing, made now with their obligations; how many were made."""
    today = timezone.localdate()
    made = 0
    for slug, number, kind, title, partners, signed_ago, ends_in, scope, obligations in AGREEMENTS:
        organization = orgs[slug]
        if Agreement.objects.filter(organization=organization, number=number).exists():
            continue
        start = today - datetime.timedelta(days=signed_ago)
        agreement = agreement_create(
            actor=None,
            organization=organization,
            kind=kind,
            number=number,
            title=title,
            partners=[orgs[p] for p in partners],
            signed_date=start,
            start_date=start,
            end_date=today + datetime.timedelta(days=ends_in) if ends_in is not None else None,
            scope=scope,
        )
        for party, description, due_in, done in obligations:
            obligation = obligation_add(
                actor=None,
                agreement=agreement,
                description=description,
                due_date=today + datetime.timedelta(days=due_in),
                party=orgs[party] if party else None,
            )
            if done:
                obligation_done(actor=None, obligation=obligation)
        made += 1
    return made


WORKSHOP = "Lokakarya desain dan kemasan batik bersama Kemendag"
EXHIBITION = "Bazar Hari Bakti Pemasyarakatan"


def program_activities_ensure(orgs: dict[str, Organization]) -> int:
    """The demo activities that are missing, made now (after the agreements); how many were made."""
    today = timezone.localdate()
    sumenep = orgs["rutan-sumenep"]
    made = 0
    if not Activity.objects.filter(organization=sumenep, title=WORKSHOP).exists():
        group = Group.objects.filter(organization=sumenep, name="Kelompok Batik Tulis").first()
        start = today - datetime.timedelta(days=20)
        workshop = activity_create(
            actor=None,
            organization=sumenep,
            kind=Activity.Kind.DESIGN_MENTORING,
            title=WORKSHOP,
            place="Aula Rutan Kelas IIB Sumenep",
            start_date=start,
            end_date=start + datetime.timedelta(days=1),
            hours=12,
            agreement=Agreement.objects.get(organization=sumenep, number="DEMO/RTN-SMP/PKS/002"),
            partner=orgs["kemendag-pen"],
            group=group,
            instructors="Tim desainer Ditjen PEN Kemendag",
            outcomes="Dua motif baru dan kemasan kotak kain batik dengan label cerita motif.",
        )
        if group is not None:
            members = list(
                group_members_on(group=group, on_date=start).filter(status=Maker.Status.ACTIVE).order_by("pk")
            )
            rows = [AttendanceRow(maker=m, present=i != 1, hours=8 if i == 2 else None) for i, m in enumerate(members)]
            if rows:
                activity_attendance_record(actor=None, activity=workshop, rows=rows)
        made += 1
    if not Activity.objects.filter(organization=sumenep, title=EXHIBITION).exists():
        day = today - datetime.timedelta(days=10)
        exhibition = activity_create(
            actor=None,
            organization=sumenep,
            kind=Activity.Kind.EXHIBITION,
            title=EXHIBITION,
            place="Alun-alun Sumenep",
            start_date=day,
            end_date=day,
            hours=6,
            agreement=Agreement.objects.get(organization=sumenep, number="DEMO/RTN-SMP/MOU/001"),
            partner=orgs["disperindag-sumenep"],
            instructors="",
            outcomes="Stan kelompok kreatif rutan di bazar; penjualan lewat kasir (POS).",
        )
        session = (
            PosSession.objects.filter(organization=sumenep, location__code=f"{sumenep.slug}-bazar-hbp")
            .exclude(pk__in=ActivityPosSession.objects.values("session_id"))
            .order_by("opened_at")
            .first()
        )
        if session is not None:
            activity_pos_session_link(actor=None, activity=exhibition, session=session)
        made += 1
    return made


def program_certificates_ensure(orgs: dict[str, Organization]) -> int:
    """A skills certificate for the first maker who attended the whole Kemendag workshop, co-signed by Kemendag and
    without consent to be named on the public page; made once (after the activities). How many were made."""
    sumenep = orgs["rutan-sumenep"]
    if Certificate.objects.filter(organization=sumenep).exists():
        return 0
    workshop = Activity.objects.filter(organization=sumenep, title=WORKSHOP).first()
    attended = (
        Attendance.objects.filter(activity=workshop, present=True, hours=workshop.hours).order_by("pk").first()
        if workshop is not None
        else None
    )
    if workshop is None or attended is None:
        return 0
    certificate_issue(
        actor=None,
        maker=attended.maker,
        crafts="Batik tulis motif pesisir; desain motif dan kemasan kotak kain",
        hours=workshop.hours,
        period_start=workshop.start_date,
        period_end=workshop.end_date,
        partner=workshop.partner,
    )
    return 1
