#!/usr/bin/env bash
# Render the exports of the demo data to PNG, to look at them against the published form:
# PDF pages through pdftoppm, XLSX and DOCX through LibreOffice (headless) then pdftoppm.
# Writes docs/images/*.png.  Installs poppler-utils and LibreOffice (Calc, Writer) if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
need=()
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc libreoffice-writer)
if [ ${#need[@]} -gt 0 ]; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

seed=src/jixiao/demo/gaoxin_yingji_2023.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p docs/images
for layout in standard split; do
    for fmt in pdf xlsx docx html; do
        .venv/bin/jixiao export "$seed" --to "$fmt" --layout "$layout" -o "$work/seed-$layout.$fmt" 2>/dev/null
    done
    for fmt in xlsx docx; do
        mkdir -p "$work/$fmt-$layout"
        timeout 300 soffice --headless --norestore --convert-to pdf --outdir "$work/$fmt-$layout" \
            "$work/seed-$layout.$fmt" >/dev/null 2>&1
    done
done
.venv/bin/jixiao summary "$seed" --to xlsx -o "$work/summary.xlsx" 2>/dev/null
mkdir -p "$work/summary"
timeout 300 soffice --headless --norestore --convert-to pdf --outdir "$work/summary" "$work/summary.xlsx" >/dev/null 2>&1

# First seed table: page 1 of the PDF, page 2 of the workbook (page 1 is the summary sheet).
pdftoppm -r 80 -png -singlefile -f 1 -l 1 "$work/seed-standard.pdf" docs/images/seed-table-1-pdf
pdftoppm -r 80 -png -singlefile -f 1 -l 1 "$work/seed-split.pdf" docs/images/seed-table-1-pdf-split
pdftoppm -r 80 -png -singlefile -f 2 -l 2 "$work/xlsx-standard/seed-standard.pdf" docs/images/seed-table-1-xlsx
pdftoppm -r 80 -png -singlefile -f 1 -l 1 "$work/docx-standard/seed-standard.pdf" docs/images/seed-table-1-docx
pdftoppm -r 80 -png -singlefile -f 1 -l 1 "$work/summary/summary.pdf" docs/images/summary-xlsx
ls -l docs/images
