{#-
    The common columns every fact carries (DATA_CONTRACT.md): the document and who published
    it for which year. `relation` is the alias of int_documents__identified in the calling model.
    district_code is the division the unit's own name states, at division_level ('province',
    'city' or 'county'): compare districts only within one level.
-#}
{% macro document_columns(relation='documents') -%}
    {{ relation }}.document_id,
    {{ relation }}.unit_id,
    {{ relation }}.unit_name,
    {{ relation }}.district_code,
    {{ relation }}.district_name,
    {{ relation }}.division_level,
    {{ relation }}.fiscal_year,
    {{ relation }}.doc_kind
{%- endmacro %}
