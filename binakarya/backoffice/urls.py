from django.urls import path

from binakarya.backoffice.accounts import views as accounts_views
from binakarya.backoffice.catalog import export as catalog_export_views
from binakarya.backoffice.catalog import listing as catalog_listing
from binakarya.backoffice.catalog import views as catalog_views
from binakarya.backoffice.consignment import imports as consignment_import_views
from binakarya.backoffice.consignment import partner as consignment_partner_views
from binakarya.backoffice.consignment import shelf as consignment_shelf_views
from binakarya.backoffice.consignment import views as consignment_views
from binakarya.backoffice.dashboard import views as dashboard_views
from binakarya.backoffice.dashboards import views as dashboards_views
from binakarya.backoffice.deals import deal_views
from binakarya.backoffice.deals import sizes as deal_sizes
from binakarya.backoffice.deals import views as deals_views
from binakarya.backoffice.exports import views as exports_views
from binakarya.backoffice.feeds import views as feeds_views
from binakarya.backoffice.ledger import views as ledger_views
from binakarya.backoffice.makers import views as makers_views
from binakarya.backoffice.orders import views as orders_views
from binakarya.backoffice.pos import views as pos_views
from binakarya.backoffice.production import views as production_views
from binakarya.backoffice.programs import activities as program_activities
from binakarya.backoffice.programs import after_release
from binakarya.backoffice.programs import skills as programs_skills
from binakarya.backoffice.programs import views as programs_views
from binakarya.backoffice.reports import views as reports_views
from binakarya.backoffice.sales import views as sales_views
from binakarya.backoffice.stock import views as stock_views

app_name = "backoffice"

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    # Programs: after release (livelihood with consent, outcome checks at 6 and 12 months)
    path("bebas/", after_release.release_list, name="program_releases"),
    path("bebas/<int:release_pk>/usaha/", after_release.livelihood, name="program_livelihood"),
    path("bebas/<int:release_pk>/hasil/", after_release.outcome, name="program_outcome"),
    # Programs: agreements (MoU, PKS) with partner agencies
    path("kerja-sama/", programs_views.agreement_list, name="program_agreements"),
    path("kerja-sama/baru/", programs_views.agreement_create, name="program_agreement_create"),
    path("kerja-sama/<int:pk>/", programs_views.agreement_detail, name="program_agreement"),
    path("kerja-sama/<int:pk>/ubah/", programs_views.agreement_edit, name="program_agreement_edit"),
    path("kerja-sama/<int:pk>/pdf/", programs_views.agreement_document, name="program_agreement_pdf"),
    path("kerja-sama/<int:pk>/kewajiban/", programs_views.obligation_add, name="program_obligation_add"),
    path(
        "kerja-sama/<int:pk>/kewajiban/<int:obligation_pk>/selesai/",
        programs_views.obligation_done,
        name="program_obligation_done",
    ),
    # Programs: activities (trainings, mentoring, exhibitions) with attendance; an agreement's grants and deals
    path("kegiatan/", program_activities.activity_list, name="program_activities"),
    path("kegiatan/baru/", program_activities.activity_create, name="program_activity_create"),
    path("kegiatan/<int:pk>/", program_activities.activity_detail, name="program_activity"),
    path("kegiatan/<int:pk>/ubah/", program_activities.activity_edit, name="program_activity_edit"),
    path("kegiatan/<int:pk>/absensi/", program_activities.activity_attendance, name="program_activity_attendance"),
    path("kegiatan/<int:pk>/produk/", program_activities.activity_product_add, name="program_activity_product_add"),
    path(
        "kegiatan/<int:pk>/produk/<int:product_pk>/hapus/",
        program_activities.activity_product_remove,
        name="program_activity_product_remove",
    ),
    path("kegiatan/<int:pk>/kasir/", program_activities.activity_pos_link, name="program_activity_pos_link"),
    path(
        "kegiatan/<int:pk>/kasir/<int:session_pk>/lepas/",
        program_activities.activity_pos_unlink,
        name="program_activity_pos_unlink",
    ),
    path("kerja-sama/<int:pk>/hibah/", program_activities.agreement_grant_link, name="program_agreement_grant_link"),
    path(
        "kerja-sama/<int:pk>/hibah/<int:movement_pk>/lepas/",
        program_activities.agreement_grant_unlink,
        name="program_agreement_grant_unlink",
    ),
    path("kerja-sama/<int:pk>/transaksi/", program_activities.agreement_deal_link, name="program_agreement_deal_link"),
    path(
        "kerja-sama/<int:pk>/transaksi/<int:deal_pk>/lepas/",
        program_activities.agreement_deal_unlink,
        name="program_agreement_deal_unlink",
    ),
    path("dasbor/", dashboards_views.dashboards, name="dashboards"),
    # Catalog
    path("produk/", catalog_views.product_list, name="products"),
    path("produk/baru/", catalog_views.product_create, name="product_create"),
    path("produk/<int:pk>/", catalog_views.product_edit, name="product_edit"),
    path("produk/ekatalog.xlsx", catalog_listing.seller_listings_xlsx, name="listing_seller_xlsx"),
    path("produk/<int:pk>/ekatalog/", catalog_listing.listing_edit, name="listing_edit"),
    path("produk/<int:pk>/ekatalog/spesifikasi.pdf", catalog_listing.listing_spec_sheet, name="listing_spec_sheet"),
    path("produk/<int:pk>/ekatalog/ekatalog.xlsx", catalog_listing.listing_xlsx, name="listing_xlsx"),
    path("produk/<int:pk>/terbit/", catalog_views.product_publish, name="product_publish"),
    path("produk/<int:pk>/varian/", catalog_views.variant_add, name="variant_add"),
    path("produk/<int:pk>/varian/<int:variant_pk>/", catalog_views.variant_edit, name="variant_edit"),
    path("produk/<int:pk>/foto/", catalog_views.photo_upload, name="photo_upload"),
    path("produk/<int:pk>/foto/<int:photo_pk>/hapus/", catalog_views.photo_delete, name="photo_delete"),
    path("produk/<int:pk>/foto/<int:photo_pk>/sampul/", catalog_views.photo_make_cover, name="photo_make_cover"),
    # Export (issue 13): export data and English texts per product, exchange rates
    path("produk/<int:pk>/ekspor/", catalog_export_views.product_export, name="product_export"),
    path("produk/kurs/", catalog_export_views.exchange_rates, name="exchange_rates"),
    # Channel feeds (issue 14): the sellers' feed addresses, the marketplace files, each product's problems
    path("feed/", feeds_views.feeds, name="feeds"),
    path("feed/<slug:slug>/<str:lang>/<str:name>", feeds_views.feed_download, name="feed_download"),
    path("pembuat/baru/", catalog_views.producer_create, name="producer_create"),
    path("pembuat/<int:pk>/", catalog_views.producer_edit, name="producer_edit"),
    # Makers and groups
    path("perajin/", makers_views.maker_list, name="makers"),
    path("perajin/baru/", makers_views.maker_create, name="maker_create"),
    path("perajin/<int:pk>/", makers_views.maker_edit, name="maker_edit"),
    path("perajin/<int:pk>/keterampilan/", programs_skills.skill_record, name="program_skills"),
    path("perajin/<int:pk>/sertifikat/baru/", programs_skills.certificate_create, name="program_certificate_create"),
    path("perajin/<int:pk>/bebas/", programs_skills.release_checklist, name="program_release"),
    path("sertifikat/<int:pk>/pdf/", programs_skills.certificate_download, name="program_certificate_pdf"),
    path(
        "sertifikat/<int:pk>/tarik-persetujuan-nama/",
        programs_skills.certificate_name_consent_withdraw,
        name="program_certificate_name_consent_withdraw",
    ),
    path("kelompok/", makers_views.group_list, name="groups"),
    path("kelompok/baru/", makers_views.group_create, name="group_create"),
    path("kelompok/<int:pk>/", makers_views.group_detail, name="group_detail"),
    path("kelompok/<int:pk>/anggota/", makers_views.group_member_add, name="group_member_add"),
    path(
        "kelompok/<int:pk>/anggota/<int:membership_pk>/keluar/",
        makers_views.group_member_leave,
        name="group_member_leave",
    ),
    path("kelompok/<int:pk>/profil/", makers_views.group_profile_create, name="group_profile_create"),
    # Production lots
    path("lot/", production_views.lot_list, name="lots"),
    path("lot/baru/", production_views.lot_create, name="lot_create"),
    path("lot/<str:code>/", production_views.lot_detail, name="lot_detail"),
    path("lot/<str:code>/label/", production_views.lot_tags, name="lot_tags"),
    path("lot/<str:code>/label/<int:document_pk>/", production_views.lot_tags_pdf, name="lot_tags_pdf"),
    path("lot/<str:code>/penyesuaian/", production_views.lot_adjust, name="lot_adjust"),
    path(
        "lot/<str:code>/mutasi/<int:movement_pk>/batal/",
        production_views.movement_reverse,
        name="movement_reverse",
    ),
    # Stock
    path("stok/", stock_views.stock, name="stock"),
    path("stok/umur/", stock_views.stock_aging, name="stock_aging"),
    path("stok/opname/hasil/<int:pk>/", stock_views.stock_count_detail, name="stock_count_detail"),
    path("stok/opname/<slug:code>/", stock_views.stock_count, name="stock_count"),
    path("lokasi/", stock_views.location_list, name="locations"),
    path("kiriman/", stock_views.transfer_list, name="transfers"),
    path("kiriman/baru/", stock_views.transfer_create, name="transfer_create"),
    path("kiriman/<str:number>/", stock_views.transfer_detail, name="transfer_detail"),
    path("kiriman/<str:number>/terima/", stock_views.transfer_receive, name="transfer_receive"),
    path("kiriman/<str:number>/surat-jalan/", stock_views.transfer_pdf, name="transfer_pdf"),
    # Sales
    path("penjualan/", sales_views.sale_list, name="sales"),
    path("penjualan/baru/", sales_views.sale_create, name="sale_create"),
    path("penjualan/<str:number>/", sales_views.sale_detail, name="sale_detail"),
    path("penjualan/<str:number>/retur/", sales_views.sale_return, name="sale_return"),
    # Point of sale: cashier sessions, the till, receipts and closing reports
    path("kasir/", pos_views.session_list, name="pos_sessions"),
    path("kasir/buka/", pos_views.session_open, name="pos_open"),
    path("kasir/<int:pk>/", pos_views.till, name="pos_till"),
    path("kasir/<int:pk>/tambah/", pos_views.cart_add, name="pos_cart_add"),
    path("kasir/<int:pk>/ubah/", pos_views.cart_change, name="pos_cart_change"),
    path("kasir/<int:pk>/bayar/", pos_views.pay, name="pos_pay"),
    path("kasir/<int:pk>/tutup/", pos_views.session_close, name="pos_close"),
    path("kasir/<int:pk>/laporan/", pos_views.closing, name="pos_closing"),
    path("kasir/<int:pk>/laporan/pdf/", pos_views.closing_download, name="pos_closing_pdf"),
    path("kasir/struk/<str:number>/", pos_views.receipt, name="pos_receipt"),
    path("kasir/struk/<str:number>/pdf/", pos_views.receipt_download, name="pos_receipt_pdf"),
    # Orders: the desk, one order, WhatsApp orders, the shop's settings and rate table
    path("pesanan/", orders_views.desk, name="orders"),
    path("pesanan/baru/", orders_views.order_entry, name="order_entry"),
    path("pesanan/<str:number>/", orders_views.detail, name="order_detail"),
    path("pesanan/<str:number>/bayar/", orders_views.payment_record, name="order_payment_record"),
    path("pesanan/<str:number>/bayar/<int:pk>/bukti/", orders_views.payment_proof, name="order_payment_proof"),
    path("pesanan/<str:number>/bayar/<int:pk>/terima/", orders_views.payment_confirm, name="order_payment_confirm"),
    path("pesanan/<str:number>/bayar/<int:pk>/tolak/", orders_views.payment_reject, name="order_payment_reject"),
    path("pesanan/<str:number>/refund/", orders_views.refund, name="order_refund"),
    path("pesanan/<str:number>/ongkir/", orders_views.shipping_fee, name="order_shipping_fee"),
    path("pesanan/<str:number>/status/", orders_views.transition, name="order_transition"),
    path("pesanan/<str:number>/batal/", orders_views.cancel, name="order_cancel"),
    path("pesanan/<str:number>/cetak/<slug:kind>/", orders_views.document_pdf, name="order_document"),
    path("toko/", orders_views.shop_settings, name="shop_settings"),
    path("toko/ongkir/", orders_views.shipping_rates, name="shipping_rates"),
    # Money: split rules, makers' premi, capital funds, PNBP, trial balance
    path("keuangan/", ledger_views.money, name="money"),
    path("keuangan/aturan-bagi/", ledger_views.rule_list, name="rules"),
    path("keuangan/aturan-bagi/baru/", ledger_views.rule_create, name="rule_create"),
    path("keuangan/aturan-bagi/pratinjau/", ledger_views.rule_preview, name="rule_preview"),
    path("keuangan/premi/akan-bebas/", ledger_views.release_worklist, name="release_worklist"),
    path("keuangan/premi/<int:pk>/", ledger_views.statement, name="statement"),
    path("keuangan/premi/<int:pk>/cetak/", ledger_views.statement_pdf, name="statement_pdf"),
    path("keuangan/premi/<int:pk>/bayar/", ledger_views.payout_create, name="payout_create"),
    path("keuangan/premi/<int:pk>/bayar/<int:payout_pk>/", ledger_views.payout_detail, name="payout_detail"),
    path("keuangan/premi/<int:pk>/bayar/<int:payout_pk>/slip/", ledger_views.payout_pdf, name="payout_pdf"),
    path("keuangan/modal/", ledger_views.capital, name="capital"),
    path("keuangan/modal/hibah/", ledger_views.capital_grant, name="capital_grant"),
    path("keuangan/modal/belanja/", ledger_views.capital_purchase, name="capital_purchase"),
    path("keuangan/pnbp/", ledger_views.pnbp, name="pnbp"),
    path("keuangan/pnbp/target/", ledger_views.pnbp_target, name="pnbp_target"),
    path("keuangan/pnbp/setoran/", ledger_views.pnbp_deposit, name="pnbp_deposit"),
    path("keuangan/neraca-saldo/", ledger_views.trial_balance, name="trial_balance"),
    # Reports: a facility's monthly report (PDF), the e-Katalog marketing report of a province (PDF, XLSX, CSV)
    path("laporan/", reports_views.reports, name="reports"),
    path("laporan/bulanan/", reports_views.monthly, name="report_monthly"),
    path(
        "laporan/bulanan/<slug:slug>/<int:year>/<int:month>.pdf",
        reports_views.monthly_pdf,
        name="report_monthly_pdf",
    ),
    path("laporan/ekatalog/", reports_views.ekatalog, name="report_ekatalog"),
    # Staff accounts, managed by the facility admin
    path("pengguna/", accounts_views.staff_list, name="staff"),
    path("pengguna/baru/", accounts_views.staff_create, name="staff_create"),
    path("pengguna/<int:pk>/", accounts_views.staff_detail, name="staff_detail"),
    path("pengguna/<int:pk>/peran/", accounts_views.staff_role, name="staff_role"),
    path("pengguna/<int:pk>/sandi/", accounts_views.staff_password, name="staff_password"),
    path("pengguna/<int:pk>/nonaktif/", accounts_views.staff_deactivate, name="staff_deactivate"),
    path("pengguna/<int:pk>/aktifkan/", accounts_views.staff_reactivate, name="staff_reactivate"),
    # Consignment: imports (the outlet's till CSV, for the seller's staff and the outlet's partner)
    path("titip/<int:pk>/impor/", consignment_import_views.consignment_import, name="consignment_import"),
    path(
        "titip/<int:pk>/impor/templat.csv",
        consignment_import_views.consignment_import_template,
        name="consignment_import_template",
    ),
    # Consignment: returns, damage, counts, review and history at the outlet's shelf
    path("titip/<int:pk>/retur/", consignment_shelf_views.shelf_return, name="consignment_shelf_return"),
    path(
        "titip/<int:pk>/retur/<int:return_pk>/",
        consignment_shelf_views.shelf_return_detail,
        name="consignment_shelf_return_detail",
    ),
    path(
        "titip/<int:pk>/retur/<int:return_pk>/terima/",
        consignment_shelf_views.shelf_return_receive,
        name="consignment_shelf_return_receive",
    ),
    path(
        "titip/<int:pk>/retur/<int:return_pk>/cetak/",
        consignment_shelf_views.shelf_return_pdf,
        name="consignment_shelf_return_pdf",
    ),
    path("titip/<int:pk>/rusak/", consignment_shelf_views.shelf_damage, name="consignment_shelf_damage"),
    path("titip/<int:pk>/opname/", consignment_shelf_views.shelf_count, name="consignment_shelf_count"),
    path("titip/<int:pk>/tinjauan/", consignment_shelf_views.review, name="consignment_review"),
    path("titip/<int:pk>/tinjauan/tarik/", consignment_shelf_views.review_recall, name="consignment_review_recall"),
    path("titip/<int:pk>/riwayat/", consignment_shelf_views.history, name="consignment_history"),
    path("titip/<int:pk>/riwayat/cetak/", consignment_shelf_views.history_pdf, name="consignment_history_pdf"),
    # Consignment: staff pages (agreements, placing goods, sales at the outlet, statements, payments)
    path("titip/", consignment_views.consignment_list, name="consignment_list"),
    path("titip/baru/", consignment_views.consignment_create, name="consignment_create"),
    path("titip/<int:pk>/", consignment_views.consignment_detail, name="consignment_detail"),
    path("titip/<int:pk>/perjanjian/", consignment_views.consignment_document, name="consignment_document"),
    path("titip/<int:pk>/akhiri/", consignment_views.consignment_end, name="consignment_end"),
    path("titip/<int:pk>/kirim/", consignment_views.consignment_place, name="consignment_place"),
    path(
        "titip/<int:pk>/kirim/<int:placement_pk>/",
        consignment_views.consignment_placement,
        name="consignment_placement",
    ),
    path(
        "titip/<int:pk>/kirim/<int:placement_pk>/tanda-terima/",
        consignment_views.consignment_placement_pdf,
        name="consignment_placement_pdf",
    ),
    path("titip/<int:pk>/jual/", consignment_views.consignment_sale, name="consignment_sale"),
    path("titip/<int:pk>/tagihan/", consignment_views.consignment_statement, name="consignment_statement"),
    path(
        "titip/<int:pk>/tagihan/terbit/",
        consignment_views.consignment_statement_issue,
        name="consignment_statement_issue",
    ),
    path(
        "titip/<int:pk>/tagihan/<int:statement_pk>/pdf/",
        consignment_views.consignment_statement_pdf,
        name="consignment_statement_pdf",
    ),
    path("titip/<int:pk>/bayar/", consignment_views.consignment_payment, name="consignment_payment"),
    # Consignment: partner (the outlet partner's portal)
    path("mitra/", consignment_partner_views.home, name="partner_home"),
    path("mitra/rak/", consignment_partner_views.shelf, name="partner_shelf"),
    path("mitra/jual/", consignment_partner_views.sales_start, name="partner_sales"),
    path("mitra/tagihan/", consignment_partner_views.statements, name="partner_statements"),
    path("mitra/<int:pk>/jual/", consignment_partner_views.sale, name="partner_sale"),
    path("mitra/<int:pk>/hitung/", consignment_partner_views.count, name="partner_count"),
    path("mitra/<int:pk>/terima/<int:placement_pk>/", consignment_partner_views.receive, name="partner_receive"),
    path(
        "mitra/<int:pk>/tagihan/<int:statement_pk>/pdf/",
        consignment_partner_views.statement_pdf,
        name="partner_statement_pdf",
    ),
    path("mitra/<int:pk>/retur/", consignment_partner_views.return_goods, name="partner_return"),
    path(
        "mitra/<int:pk>/retur/<int:return_pk>/",
        consignment_partner_views.return_detail,
        name="partner_return_detail",
    ),
    path(
        "mitra/<int:pk>/retur/<int:return_pk>/pdf/",
        consignment_partner_views.return_pdf,
        name="partner_return_pdf",
    ),
    # Procurement: requests for quotation and quotations (deals)
    path("pengadaan/", deals_views.rfq_list, name="deal_rfqs"),
    path("pengadaan/pengaturan/", deals_views.tax_settings, name="deal_settings"),
    path("pengadaan/permintaan/<int:pk>/", deals_views.rfq_detail, name="deal_rfq"),
    path("pengadaan/permintaan/<int:pk>/penawaran/", deals_views.quotation_create, name="deal_quote"),
    path("pengadaan/penawaran/<str:number>/", deals_views.quotation_detail, name="deal_quotation"),
    path("pengadaan/penawaran/<str:number>/pdf/", deals_views.quotation_pdf, name="deal_quotation_pdf"),
    path("pengadaan/penawaran/<str:number>/terima/", deal_views.accept, name="deal_accept"),
    path("pengadaan/kontrak/", deal_views.pipeline, name="deals"),
    path("pengadaan/kontrak/<str:number>/", deal_views.deal_detail, name="deal"),
    path("pengadaan/kontrak/<str:number>/kirim/", deal_views.delivery, name="deal_delivery"),
    path("pengadaan/kontrak/<str:number>/bast/", deal_views.handover, name="deal_handover"),
    path("pengadaan/kontrak/<str:number>/tagihan/", deal_views.invoice, name="deal_invoice"),
    path("pengadaan/kontrak/<str:number>/bayar/", deal_views.payment, name="deal_payment"),
    path("pengadaan/kontrak/<str:number>/batal/", deal_views.cancel, name="deal_cancel"),
    path("pengadaan/kontrak/<str:number>/dokumen/<str:document>/pdf/", deal_views.document_pdf, name="deal_document"),
    # Uniform size lists of a request, and their packing lists (deals/sizes.py)
    path("pengadaan/permintaan/<int:pk>/ukuran/", deal_sizes.rfq_size_lists, name="deal_rfq_sizes"),
    path("pengadaan/permintaan/<int:pk>/ukuran/templat/", deal_sizes.size_template, name="deal_size_template"),
    path("pengadaan/ukuran/<int:pk>/", deal_sizes.size_list_detail, name="deal_size_list"),
    path("pengadaan/ukuran/<int:pk>/kemasan/", deal_sizes.packing_list, name="deal_packing_list"),
    # Export: inquiries from buyers abroad, pro-forma invoices and packing lists, the SKA checklist (exports)
    path("ekspor/", exports_views.inquiry_list, name="export_inquiries"),
    path("ekspor/pengaturan/", exports_views.exporter_settings, name="export_settings"),
    path("ekspor/permintaan/<int:pk>/", exports_views.inquiry_detail, name="export_inquiry"),
    path("ekspor/permintaan/<int:pk>/tutup/", exports_views.inquiry_close, name="export_inquiry_close"),
    path("ekspor/permintaan/<int:pk>/proforma/", exports_views.proforma_create, name="export_proforma_create"),
    path("ekspor/permintaan/<int:pk>/ska/<slug:item>/", exports_views.checklist_mark, name="export_checklist_mark"),
    path("ekspor/proforma/<str:number>/", exports_views.proforma_detail, name="export_proforma"),
    path("ekspor/proforma/<str:number>/konfirmasi/", exports_views.order_confirm, name="export_order_confirm"),
    path("ekspor/proforma/<str:number>/pembayaran/", exports_views.order_payment, name="export_order_payment"),
    path("ekspor/proforma/<str:number>/pengiriman/", exports_views.order_shipment, name="export_order_shipment"),
    path("ekspor/proforma/<str:number>/<slug:kind>.pdf", exports_views.proforma_pdf, name="export_proforma_pdf"),
]
