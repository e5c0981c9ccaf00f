"""The one helper every CSV export writes through: formula-looking cells come out as inert text."""

import csv
import io

import pytest

from conduct.csv_safe import csv_lines, neutralise

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\n=1+1", "\uff1d1+1", "\uff0b1",
            "\uff0d1", "\uff20SUM(A1)", " =1+1", "\u3000=1+1", '=HYPERLINK("http://evil.example/","Click")']


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_looking_cell_gets_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Pat Parent", "", "O'Brien", "a=b", "12", "2026-01-02", "Smith-Jones"])
def test_ordinary_text_is_unchanged(value):
    assert neutralise(value) == value


def test_none_and_numbers_become_text():
    assert neutralise(None) == "" and neutralise(7) == "7" and neutralise(-3) == "'-3"


def test_lines_are_csv_with_every_cell_neutralised_and_an_optional_byte_order_mark():
    lines = list(csv_lines([["Name", "Note"], ["=cmd|' /C calc'!A0", 'say "hi",\nthen go']], byte_order_mark=True))
    assert lines[0] == "\ufeffName,Note\r\n" and not lines[1].startswith("\ufeff")
    rows = list(csv.reader(io.StringIO("".join(lines)[1:])))
    assert rows == [["Name", "Note"], ["'=cmd|' /C calc'!A0", 'say "hi",\nthen go']]
    assert list(csv_lines([["a"]])) == ["a\r\n"]
