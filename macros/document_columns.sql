{#-
    The common columns every fact carries (DATA_CONTRACT.md): the document and who published
    it for which year. `relation` is the alias of int_documents in the calling model.
-#}
{% macro document_columns(relation='documents') -%}
    {{ relation }}.document_id,
    {{ relation }}.unit_id,
    {{ relation }}.unit_name,
    {{ relation }}.district_code,
    {{ relation }}.district_name,
    {{ relation }}.fiscal_year,
    {{ relation }}.doc_kind
{%- endmacro %}
