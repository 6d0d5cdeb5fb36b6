"""Demo agreements with partner agencies (issue 15), made through ``programs.services`` from the field reports:

- Rutan Sumenep signed an MoU with six agencies, among them Polres Sumenep and Disperindag Sumenep, on the
  performance of its officers and the guidance (pembinaan) of inmates; Disperindag will help market the creative
  group's work. The demo has two of the six agencies; the MoU ends within 60 days, so its renewal alert shows.
- Kemendag (Ditjen PEN) and Kemenkumham signed an MoU on the quality, design and packaging of inmates' products
  toward export: workshops, design mentoring, information and promotion. Lapas Dirgantara records it here.

Numbers are invented and marked DEMO/…; the dates are relative to today, not the real signing dates.
Running it again changes nothing.
"""

import datetime

from django.utils import timezone

from binakarya.organizations.models import Organization
from binakarya.programs.models import Agreement
from binakarya.programs.services import agreement_create, obligation_add, obligation_done

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
