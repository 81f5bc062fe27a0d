"""Files in, records out: values as real exports write them, problems by row and
column, nothing written on a bad file, and re-imports that change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rumbo.imports.saved import alias_save
from rumbo.sales.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Deal,
    ExchangeRate,
    Product,
    SurveyResponse,
    Technique,
)
from tests.imports.conftest import lines

CUSTOMERS = """External ID,Name,Owner,Segment,Industry,Country,Size
C-1,Bolt Ltd,Rita,SMB,Retail,Spain,10-49
C-2,Nut SA,rita@acme.test,SMB,Retail,ES,
C-3,Café Ñandú,Nina,Enterprise,Food,México,1000+
"""


def test_customers_are_created_then_a_reimport_changes_nothing(importer, world) -> None:
    first = importer.run("customers", "customers.csv", CUSTOMERS)
    assert first.ok and first.applied, lines(first)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    bolt = Customer.objects.get(organization=world.acme, external_id="C-1")
    assert (bolt.name, bolt.owner, bolt.country, bolt.size_band) == (
        "Bolt Ltd", world.rita, "ES", "10-49")  # fmt: skip
    assert Customer.objects.get(external_id="C-3").owner == world.nina
    again = importer.run("customers", "customers.csv", CUSTOMERS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_an_edited_file_updates_exactly_the_changed_rows(importer, world) -> None:
    importer.run("customers", "customers.csv", CUSTOMERS)
    edited = CUSTOMERS.replace("C-2,Nut SA", "C-2,Nut SAU").replace(
        "Nina,Enterprise", "Rita,Enterprise"
    )
    result = importer.run("customers", "customers.csv", edited)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert Customer.objects.get(external_id="C-2").name == "Nut SAU"
    assert Customer.objects.get(external_id="C-3").owner == world.rita


def test_spanish_salesforce_export_reads_decimal_commas_and_day_first_dates(
    importer, world
) -> None:
    importer.run("customers", "customers.csv", CUSTOMERS)
    text = (
        "Opportunity ID;Opportunity Name;Account Name;Opportunity Owner;Stage;Amount;"
        "Opportunity Currency;Close Date;Created Date\n"
        "D-1;Big order;Bolt Ltd;Rita;Cerrado ganado;1.234,50 €;EUR;25/03/2026;01/03/2026\n"
        "D-2;Pound order;Nut SA;Rita;Closed Won;2.000,00;GBP;02/03/2026;01/03/2026\n"
        "D-3;Maybe;;Nina;Negociación;100;;15/06/2026;01/03/2026\n"
        "D-4;Gone;Bolt Ltd;Rita;Perdida;50;;05/03/2026;01/03/2026\n"
    )
    result = importer.run("deals", "opps.csv", text, encoding="cp1252", preset="salesforce")
    assert result.ok, lines(result)
    big = Deal.objects.get(organization=world.acme, external_id="D-1")
    assert (big.amount, big.outcome, big.stage) == (Decimal("1234.50"), "won", "closed")
    assert (big.closed_on, big.created_on) == (dt.date(2026, 3, 25), dt.date(2026, 3, 1))
    pound = Deal.objects.get(external_id="D-2")
    assert pound.amount_base == Decimal("2300.00")  # the GBP rate of 1.15 from 1 January
    maybe = Deal.objects.get(external_id="D-3")
    assert (maybe.outcome, maybe.stage, maybe.customer, maybe.closed_on) == (
        "open", "negotiation", None, None)  # fmt: skip
    assert Deal.objects.get(external_id="D-4").outcome == "lost"


def test_month_first_dates_excel_serials_and_thousands_separators(importer, world) -> None:
    text = (
        "id,deal name,owner,customer,deal stage,amount,close date,create date\n"
        'H-1,One,Rita,Rita customer,closedwon,"$1,500.25",3/25/2026,3/1/2026\n'
        "H-2,Two,Rita,Rita customer,closedlost,900,46090,2026-03-01\n"
    )
    world.acme.currency = "USD"
    world.acme.save()
    result = importer.run("deals", "hubspot.csv", text, preset="hubspot")
    assert result.ok, lines(result)
    one = Deal.objects.get(external_id="H-1")
    assert (one.amount, one.currency, one.closed_on) == (
        Decimal("1500.25"), "USD", dt.date(2026, 3, 25))  # fmt: skip
    assert Deal.objects.get(external_id="H-2").closed_on == dt.date(2026, 3, 9)


def test_pipedrive_status_and_two_close_columns(importer, world) -> None:
    text = (
        "Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Status,Deal - Stage,"
        "Deal - Owner,Deal - Organization,Deal - Deal created,Deal - Won time,Deal - Lost time\n"
        "7,Won one,10,EUR,won,Negotiations Started,Rita,Rita customer,2026-02-01,2026-02-10,\n"
        "8,Lost one,10,EUR,lost,Qualified,Rita,Rita customer,2026-02-01,,2026-02-11\n"
        "9,Open one,10,EUR,open,Proposal Made,Rita,,2026-02-01,,\n"
    )
    result = importer.run("deals", "pipedrive.csv", text, preset="pipedrive")
    assert result.ok, lines(result)
    assert Deal.objects.get(external_id="7").closed_on == dt.date(2026, 2, 10)
    assert Deal.objects.get(external_id="8").closed_on == dt.date(2026, 2, 11)
    assert Deal.objects.get(external_id="9").stage == "proposal"


def test_a_file_with_bad_rows_writes_nothing_and_says_where(importer, world) -> None:
    before = Deal.objects.count()
    text = (
        "External id,Name,Owner,Customer,Stage,Amount,Closed on,Created on\n"
        "X-1,Fine,Rita,Rita customer,won,10,2026-03-02,2026-03-01\n"
        "X-2,No date,Rita,Rita customer,won,10,,2026-03-01\n"
        "X-3,Typo,Rita,Rita custmer,won,10,2026-03-02,2026-03-01\n"
        "X-4,Odd,Rita,Rita customer,maybe,ten,2026-13-45,2026-03-01\n"
        "X-5,Stray,Rita,Rita customer,won,10,2026-03-02,2026-03-01,extra\n"
    )
    result = importer.run("deals", "bad.csv", text)
    assert not result.ok and not result.applied
    assert Deal.objects.count() == before
    found = lines(result)
    assert "row 3, column Closed on: A won or lost deal needs a close date." in found
    assert any(line.startswith("row 4, column Customer: No customer is called Rita custmer")
               and "Rita customer" in line for line in found)  # fmt: skip
    assert any(line.startswith("row 5, column Stage:") for line in found)
    assert any(line.startswith("row 5, column Amount:") for line in found)
    assert any(line.startswith("row 5, column Closed on:") for line in found)
    assert any(line.startswith("row 6, column (file): This row has 9 cells") for line in found)
    typo = next(p for p in result.problems if p.row == 4)
    assert (typo.value, typo.suggestions[0]) == ("Rita custmer", "Rita customer")


def test_duplicate_external_ids_are_refused(importer, world) -> None:
    text = "sku,name,list price\nW-1,Widget,10\nW-2,Gadget,12\nW-1,Widget again,11\n"
    result = importer.run("products", "products.csv", text)
    assert not result.applied
    assert lines(result) == [
        "row 4, column sku: The same SKU as row 2; give each row an external id, or remove one."
    ]
    assert not Product.objects.filter(sku="W-2").exists()
    deals = ("id,name,owner,amount,created on\nA,One,Rita,1,2026-01-01\n"
             "A,Two,Rita,1,2026-01-01\n")  # fmt: skip
    result = importer.run("deals", "deals.csv", deals)
    assert lines(result) == ["row 3, column id: The same external id as row 2."]


def test_an_alias_fixes_a_misspelt_product_and_a_stage_word(importer, world) -> None:
    importer.run("products", "p.csv", "SKU,Name,Price\nWP-1,Widget Pro,10\n")
    text = ("Customer,Name,Kind,Date,Rep,Notes\n"
            "Rita customer,Demo WidgetPro,visit,2026-03-01,Rita,shown\n")  # fmt: skip
    assert importer.run("activities", "a.csv", text).ok
    survey = "customer,score,survey,date\nRita custmr,5,CSAT,2026-03-01\n"
    result = importer.run("surveys", "s.csv", survey)
    assert result.problems[0].suggestions[0] == "Rita customer"
    rita_customer = world.records["rita"].customer
    alias_save(actor=world.alice, kind="customer", spelling="Rita custmr",
               record_id=rita_customer.pk)  # fmt: skip
    again = importer.run("surveys", "s.csv", survey)
    assert again.ok and again.applied, lines(again)
    response = SurveyResponse.objects.get(customer=rita_customer, responded_on="2026-03-01")
    assert response.rep == world.rita  # counts for the customer's owner
    stage = "name,owner,amount,stage\nOdd,Rita,5,Verbal yes\n"
    assert not importer.run("deals", "d.csv", stage).ok
    alias_save(actor=world.alice, kind="stage", spelling="Verbal yes", value="negotiation:open")
    assert importer.run("deals", "d.csv", stage).ok
    assert Deal.objects.get(name="Odd").stage == "negotiation"


def test_a_sector_spelled_two_ways_is_reported(importer, world) -> None:
    importer.run("customers", "customers.csv", CUSTOMERS)
    text = "name,segment,industry\nNew one,SMB,Retial\nOther,smb,Food\n"
    result = importer.run("customers", "more.csv", text)
    found = lines(result)
    typo = "Retial looks like a misspelling of Retail; save an alias to keep it."
    assert f"row 2, column industry: {typo}" in found
    assert "row 3, column segment: smb is spelled differently from SMB." in found


def test_latin1_semicolon_and_bom_files(importer, world) -> None:
    text = (
        "Nombre;Descripción;Activo\nConsultiva;Preguntar antes de ofrecer;sí\nSPIN;Situación;no\n"
    )
    result = importer.run("techniques", "tecnicas.csv", text, encoding="latin-1")
    assert result.ok, lines(result)
    assert Technique.objects.get(name="Consultiva").description == "Preguntar antes de ofrecer"
    assert Technique.objects.get(name="SPIN").active is False
    bom = '\ufeffMoneda,Fecha,Tipo de cambio\nUSD,2026-02-01,"0,92"\n'
    result = importer.run("rates", "rates.csv", bom)
    assert result.ok, lines(result)
    assert ExchangeRate.objects.get(organization=world.acme, currency="USD").rate == Decimal("0.92")


def test_contacts_activities_and_complaints(importer, world) -> None:
    assert importer.run("contacts", "c.csv", "Cliente,Nombre,Cargo,Correo\n"
                        "Rita customer,Ana Pérez,CFO,ana@bolt.test\n").ok  # fmt: skip
    assert Contact.objects.get(name="Ana Pérez").customer == world.records["rita"].customer
    text = "Customer,Type,Date\nRita customer,call,2026-03-01\nNina customer,reunión,2026-03-02\n"
    result = importer.run("activities", "a.csv", text)
    assert result.ok, lines(result)
    assert (
        Activity.objects.get(customer=world.records["nina"].customer, kind="meeting").owner
        == world.nina
    )  # noqa: E501
    complaints = ("id,customer,opened,resolved,category,severity\n"
                  "Q1,Rita customer,2026-03-01 10:00,2026-03-02 09:30,billing,high\n"
                  "Q2,Rita customer,2026-03-03,,delivery,\n"
                  "Q3,Rita customer,2026-03-05,2026-03-04,delivery,\n")  # fmt: skip
    result = importer.run("complaints", "q.csv", complaints)
    assert lines(result) == ["row 4, column resolved: It cannot be resolved before it was opened."]
    result = importer.run("complaints", "q.csv", complaints.rsplit("Q3", 1)[0])
    assert result.ok, lines(result)
    q1 = Complaint.objects.get(external_id="Q1")
    assert (q1.status, q1.severity, q1.rep) == ("resolved", "high", world.rita)
    assert Complaint.objects.get(external_id="Q2").status == "open"


def test_missing_required_column_is_named(importer, world) -> None:
    result = importer.run("deals", "d.csv", "name,amount\nOne,5\n")
    assert lines(result) == [
        "row 1, column owner: No column holds the owner; name a column for it."
    ]


def test_dry_run_counts_without_writing(importer, world) -> None:
    result = importer.run("customers", "customers.csv", CUSTOMERS, dry_run=True)
    assert (result.ok, result.applied, result.created) == (True, False, 3)
    assert not Customer.objects.filter(external_id="C-1").exists()


def test_a_survey_tool_export_without_a_survey_column(importer, world) -> None:
    Customer.objects.filter(pk=world.records["rita"].customer.pk).update(
        email="rita-customer@x.test"
    )
    nps = (
        "Response ID,Date Submitted,Email,NPS,Comment\n"
        "R1,2026-03-01,rita-customer@x.test,9,Great\n"
        "R2,2026-03-02,Rita customer,3,Slow\n"
    )
    result = importer.run("surveys", "nps.csv", nps)
    assert result.ok, lines(result)
    assert set(SurveyResponse.objects.filter(external_id__in=["R1", "R2"]).values_list(
        "kind", flat=True)) == {"nps"}  # fmt: skip
    csat = "Response ID,Date Submitted,Customer,CSAT\nC1,2026-03-01,Rita customer,4\n"
    assert importer.run("surveys", "csat.csv", csat).ok
    assert SurveyResponse.objects.get(external_id="C1").kind == "csat"
