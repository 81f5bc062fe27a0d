"""Values real exports carry, taken as users mean them: products named but
without SKUs, a `sales_price` column, employee counts as plain numbers, short
and misspelled country names."""

from __future__ import annotations

from decimal import Decimal

from rumbo.sales.models import Customer, Product
from tests.imports.conftest import lines

# The products file of the "CRM sales opportunities" sample data set.
PRODUCTS = """product,series,sales_price
GTX Basic,GTX,550
GTX Pro,GTX,4821
MG Special,MG,55
"""


def test_products_without_skus_import_by_name_and_reimport_updates_them(importer, world) -> None:
    result = importer.run("products", "products.csv", PRODUCTS)
    assert result.ok and result.created == 3, lines(result)
    prices = dict(Product.objects.filter(organization=world.acme)
                  .values_list("name", "list_price"))  # fmt: skip
    assert prices["GTX Pro"] == Decimal("4821") and prices["MG Special"] == Decimal("55")
    assert Product.objects.get(organization=world.acme, name="GTX Basic").category == "GTX"
    count = Product.objects.filter(organization=world.acme).count()
    # The same file again, with a new price: the same products, updated, none added.
    again = importer.run("products", "products.csv", PRODUCTS.replace("4821", "4900"))
    assert again.ok and (again.created, again.updated) == (0, 1), lines(again)
    assert Product.objects.filter(organization=world.acme).count() == count
    assert Product.objects.get(organization=world.acme, name="GTX Pro").list_price == 4900


def test_a_product_given_a_sku_keeps_it_and_a_later_nameonly_row_finds_it(importer, world) -> None:
    first = importer.run("products", "p.csv", "SKU,Name,Price\nW-1,Widget,10\n")
    assert first.ok and first.created == 1, lines(first)
    again = importer.run("products", "p2.csv", "Product,Unit price\nWidget,12\n")
    assert again.ok and (again.created, again.updated) == (0, 1), lines(again)
    widget = Product.objects.get(organization=world.acme, name="Widget")
    assert (widget.sku, widget.list_price) == ("W-1", 12)


def test_usual_price_headers_are_the_list_price(importer, world) -> None:
    for n, header in enumerate(["price", "Sales Price", "sales_price", "Unit Price",
                                "List Price", "Precio", "listPrice"]):  # fmt: skip
        result = importer.run("products", f"p{n}.csv", f"name,{header}\nThing {n},{n + 5}\n")
        assert result.ok, (header, lines(result))
        assert Product.objects.get(organization=world.acme, name=f"Thing {n}").list_price == n + 5


# The accounts file of the sample data set: employees as plain numbers.
ACCOUNTS = """account,sector,year_established,revenue,employees,office_location,subsidiary_of
Acme Corporation,technolgy,1996,1100.04,2822,United States,
Betasoloin,medical,1999,251.41,495,USA,
Cancity,retail,2001,718.62,448,UK,
Dalttechnology,software,2008,98.79,8,Deutschland,
Donquadtech,technolgy,1992,1712.9,1000,Holland,
Zumgoity,medical,1984,441.08,49,Untied States,
"""


def test_employee_numbers_go_to_their_size_band_and_are_kept(importer, world) -> None:
    result = importer.run("customers", "accounts.csv", ACCOUNTS.replace("Untied States", "Korea"))
    assert result.ok, lines(result)
    got = {c.name: (c.employee_count, c.size_band)
           for c in Customer.objects.filter(organization=world.acme)}  # fmt: skip
    assert got["Acme Corporation"] == (2822, "1000+")
    assert got["Betasoloin"] == (495, "250-999")
    assert got["Cancity"] == (448, "250-999")
    assert got["Dalttechnology"] == (8, "1-9")
    assert got["Donquadtech"] == (1000, "1000+")
    assert got["Zumgoity"] == (49, "10-49")


def test_a_band_in_the_employees_column_still_reads(importer, world) -> None:
    result = importer.run("customers", "c.csv", "Name,Employees\nBandy,10-49\nWordy,nope\n")
    assert not result.ok
    assert [(p.row, p.column) for p in result.problems] == [(3, "Employees")]
    ok = importer.run("customers", "c.csv", "Name,Employees\nBandy,10-49\n")
    assert ok.ok, lines(ok)
    assert Customer.objects.get(organization=world.acme, name="Bandy").size_band == "10-49"


def test_short_and_local_country_names_map_and_misspellings_get_a_suggestion(
    importer, world
) -> None:
    result = importer.run("customers", "accounts.csv", ACCOUNTS)
    assert not result.ok
    [problem] = result.problems
    assert (problem.row, problem.column, problem.value) == (7, "office_location", "Untied States")
    assert "Did you mean" in problem.reason and "United States" in problem.suggestions
    fixed = importer.run("customers", "accounts.csv",
                         ACCOUNTS.replace("Untied States", "Korea"))  # fmt: skip
    assert fixed.ok, lines(fixed)
    countries = dict(Customer.objects.filter(organization=world.acme)
                     .values_list("name", "country"))  # fmt: skip
    assert [countries[n] for n in ("Acme Corporation", "Betasoloin", "Cancity",
                                   "Dalttechnology", "Donquadtech", "Zumgoity")] == [
        "US", "US", "GB", "DE", "NL", "KR"]  # fmt: skip


def test_a_misspelled_country_suggests_the_country(importer) -> None:
    result = importer.run("customers", "c.csv", "Name,Country\nHans BV,Holand\n")
    assert not result.ok
    assert "Netherlands" in result.problems[0].suggestions


def test_a_new_employee_count_updates_the_number_and_the_band(importer, world) -> None:
    importer.run("customers", "c.csv", "Name,Number of employees\nGrowco,40\n")
    again = importer.run("customers", "c.csv", "Name,Number of employees\nGrowco,60\n")
    assert again.ok and again.updated == 1, lines(again)
    growco = Customer.objects.get(organization=world.acme, name="Growco")
    assert (growco.employee_count, growco.size_band) == (60, "50-249")
