"""The skills certificate as a PDF (WeasyPrint, documents.pdf), in Indonesian.

It names the person (it is theirs to show an employer), says what they can make, the hours of practice and the
period, is issued by the facility with a co-signature block for the partner agency, and carries the verification
code with a QR to the public verification page (which shows the name only with consent).
"""

from django.urls import reverse
from django.utils import translation

from binakarya.documents.pdf import qr_data_uri, render_pdf
from binakarya.programs.models import Certificate


def certificate_pdf(*, certificate: Certificate, base_url: str) -> bytes:
    document = certificate.document
    with translation.override("id"):  # printed in Indonesian, and pointing at the Indonesian page
        verify_url = base_url + reverse("storefront:verify", kwargs={"code": document.verify_code})
        return render_pdf(
            "programs/skills_certificate.html",
            {
                "certificate": certificate,
                "document": document,
                "maker": certificate.maker,
                "facility": certificate.organization,
                "partner": certificate.partner,
                "verify_url": verify_url,
                "verify_qr": qr_data_uri(verify_url, scale=3),
                "verify_code": document.verify_code,
            },
        )
