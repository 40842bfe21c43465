{#-
    Incremental builds (issue 10): the per-document models are `incremental` on DuckDB. A build
    that starts from a copy of the published warehouse (warehouse/incremental.py) finds them
    there; int_incremental__changed_documents says which documents changed since (their landed
    rows, their row of int_documents__identified, or the code dimensions their names may fall
    back to), and every per-document model deletes those documents' rows
    (delete_changed_documents, its pre-hook) and inserts theirs, computed only from their rows
    (changed_documents_filter, on every import CTE of per-document rows). A model built for the
    first time, or on Spark, is a table of every document: the SQL is then the full build's.
    The staging models of landed rows are incremental the same way on
    int_incremental__landed_changes (`changes`: the documents whose landed rows or quarantine
    changed; it reads no model, and int_incremental__changed_documents reads the staging
    models through the code dimensions). Each rule is stated here once.
-#}

{#- The materialization of a per-document model: incremental on DuckDB, a table on Spark. -#}
{% macro per_document_materialization() -%}
    {{- return('table' if target.type == 'spark' else 'incremental') -}}
{%- endmacro %}

{#- The relation of the changed documents, when the model is built incrementally; none
    otherwise (and on Spark). At parse time the ref is made all the same: it makes every
    per-document model run after the changed documents are known. A unit test (execute,
    never incremental) does not see it. -#}
{% macro changed_documents_relation(changes='int_incremental__changed_documents') -%}
    {%- if target.type == 'spark' -%}
        {{- return(none) -}}
    {%- elif not execute -%}
        {%- do ref(changes) -%}
        {{- return(none) -}}
    {%- elif this is none or (model is mapping and model.get('resource_type') == 'unit_test') -%}
        {{- return(none) -}}
    {%- elif is_incremental() -%}
        {{- return(ref(changes)) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}

{#- `where <column> in (…the changed documents…)` when the model is built incrementally, nothing
    otherwise. `keyword`: 'and' after a where of the CTE's own. -#}
{% macro changed_documents_filter(
    column='document_id', keyword='where', changes='int_incremental__changed_documents'
) -%}
    {%- set changed = changed_documents_relation(changes) -%}
    {%- if changed is not none %}
    {{ keyword }} {{ column }} in (
        select changed.document_id from {{ changed }} as changed where changed.is_changed
    )
    {%- endif -%}
{%- endmacro %}

{#- The pre-hook of every per-document model: remove the changed documents' rows. -#}
{% macro delete_changed_documents(
    column='document_id', changes='int_incremental__changed_documents'
) -%}
    {%- set changed = changed_documents_relation(changes) -%}
    {%- if changed is not none -%}
    delete from {{ this }}
    where {{ column }} in (
        select changed.document_id from {{ changed }} as changed where changed.is_changed
    )
    {%- endif -%}
{%- endmacro %}

{#- md5 of a relation's rows, whatever their order (every column, as text). -#}
{% macro rows_digest(alias) -%}
    md5(string_agg(md5(cast({{ alias }} as varchar)), ',' order by md5(cast({{ alias }} as varchar))))
{%- endmacro %}

{#- The body of a previous_state CTE: ``columns`` (text columns) of every document of the last
    build's int_incremental__document_state in this file, or no row when the file has none (a
    new file: every document is changed). Read before that model is replaced. -#}
{% macro previous_document_state(columns) -%}
    {%- set previous = adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_incremental__document_state'
    ) if execute else none %}
    {%- if previous is not none %}
    select
        {%- for column in columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ previous }}
    {%- else %}
    select
        {%- for column in columns %}
        cast(null as varchar) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    where 1 = 0
    {%- endif %}
{%- endmacro %}

{#- Whether a document changed since the last build (in a final CTE of ``current_state`` full
    outer joined with ``previous_state`` on document_id): new, gone, or one of its
    ``digests`` differs. -#}
{% macro document_is_changed(digests) -%}
    (
        previous_state.document_id is null
        or current_state.document_id is null
        {%- for digest in digests %}
        or coalesce(current_state.{{ digest }}, '')
        != coalesce(previous_state.{{ digest }}, '')
        {%- endfor %}
    )
{%- endmacro %}

{#- The rows a row-level test (not_null_columns, accepted_values_columns) or a per-document
    grain test (unique_combination_of_columns with document_id among the columns) of a
    per-document model reads: the model's relation, less the rows of the documents that this
    build did not compute again, when the model is incremental on DuckDB (its name as is
    otherwise). Why that is the full test: a build publishes only when every test passed, and
    a per-document model keeps the rows of an unchanged document (is_changed false in every
    changes model it reads) as the file it starts from holds them, a file published by this
    same project (warehouse/incremental.py: the models digest covers these tests), where the
    build that computed those rows tested them. A row-level test of a row depends on that row
    alone, and a grain holding document_id repeats only within one document; so only the
    changed documents' rows can fail. A build from nothing marks every document changed and
    reads every row. Rows without a document_id are always read. Document checks (tagged
    document_check) read every row: their stored failures say which documents to quarantine. -#}
{% macro rows_to_test(relation) -%}
    {%- set unchanged = unchanged_documents_condition() -%}
    {%- if unchanged -%}
    (select * from {{ relation }} where {{ unchanged }}) as changed_rows
    {%- else -%}
    {{ relation }}
    {%- endif -%}
{%- endmacro %}

{#- `document_id is null or document_id not in (…documents unchanged in every changes model
    the tested model reads…)` for a test :func:`rows_to_test` may narrow, none otherwise. -#}
{% macro unchanged_documents_condition() -%}
    {%- if not execute or target.type != 'duckdb' or 'document_check' in (model.tags or []) -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set parent = graph.nodes.get(model.attached_node or '') -%}
    {%- if parent is none or parent.config.materialized != 'incremental' -%}
        {{- return(none) -}}
    {%- endif -%}
    {#- a model incremental by something else than its documents (mart_budget_execution: by
        unit-year, no document_id column) is tested whole -#}
    {%- if 'document_id' not in parent.columns -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set relations = [] -%}
    {%- for unique_id in parent.depends_on.nodes -%}
        {%- set changes = graph.nodes.get(unique_id) -%}
        {%- if changes is not none and changes.name in (
            'int_incremental__changed_documents', 'int_incremental__landed_changes'
        ) -%}
            {#- built in this run before the tested model, which reads it (no look-up: a
                test that looks a relation up is never taken over, dbt_step.reused_nodes) -#}
            {%- do relations.append(api.Relation.create(
                database=changes.database, schema=changes.schema, identifier=changes.alias
            )) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not relations -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set condition -%}
    document_id is null or document_id not in (
        {%- for relation in relations %}
        {{ "intersect" if not loop.first }}
        select unchanged.document_id from {{ relation }} as unchanged
        where not unchanged.is_changed and unchanged.document_id is not null
        {%- endfor %}
    )
    {%- endset -%}
    {{- return(condition) -}}
{%- endmacro %}

{#- `where <column> in (…the changed documents…)` for a singular test each of whose failing
    rows belongs to one document and reads only per-document models (incremental on
    int_incremental__changed_documents): on its import CTEs, so an incremental build tests the
    documents it computed again. Why that is the full test: as for rows_to_test, the unchanged
    documents' rows are as the published file holds them, where this same test passed (the
    models digest covers it); a build from nothing marks every document changed and reads every
    row. Nothing on Spark (no incremental models, no changes model). -#}
{% macro changed_documents_only(column='document_id', keyword='where') -%}
    {%- if target.type != 'spark' -%}
    {%- set changed = ref('int_incremental__changed_documents') %}
    {{ keyword }} {{ column }} in (
        select changed.document_id from {{ changed }} as changed where changed.is_changed
    )
    {%- endif -%}
{%- endmacro %}

{#- mart_budget_execution is made across the documents of a unit-year (a unit's budget and its
    final accounts), so it is incremental by unit-year. Its pre-hook (this macro) removes the
    rows of every unit-year a changed document is in now (``figures``:
    int_budget_execution__figures, a per-document model built before it) or was in at the last
    build (the document ids the rows list); the model then computes again exactly the
    unit-years left without a row (unit_years_to_compute). Nothing when the model is not built
    incrementally. -#}
{% macro delete_changed_unit_years(figures) -%}
    {%- set changed = changed_documents_relation() -%}
    {%- if changed is not none -%}
    delete from {{ this }}
    where (unit_id, fiscal_year) in (
        select now_in.unit_id, now_in.fiscal_year
        from {{ figures }} as now_in
        where now_in.document_id in (
            select changed.document_id from {{ changed }} as changed where changed.is_changed
        )
        union
        select was_in.unit_id, was_in.fiscal_year
        from (
            select
                unit_id,
                fiscal_year,
                unnest(string_split(concat_ws(
                    ',', budget_document_ids, adjusted_budget_document_ids, actual_document_ids
                ), ',')) as document_id
            from {{ this }}
        ) as was_in
        where was_in.document_id in (
            select changed.document_id from {{ changed }} as changed where changed.is_changed
        )
    )
    {%- endif -%}
{%- endmacro %}

{#- `where (unit_id, fiscal_year) in (…)` on mart_budget_execution's figures when it is built
    incrementally: the unit-years with a final-accounts figure (the mart's rule:
    final_accounts_years) that have no row in the table after delete_changed_unit_years. Those
    are exactly the ones it removed and that still have rows to show: a unit-year with a
    final-accounts figure has at least the row of that figure's line, so no other unit-year
    lacks one. Nothing otherwise (the full build's SQL). -#}
{% macro unit_years_to_compute(figures) -%}
    {%- set changed = changed_documents_relation() -%}
    {%- if changed is not none %}
    where (unit_id, fiscal_year) in (
        select computed.unit_id, computed.fiscal_year
        from {{ figures }} as computed
        where computed.source != 'budget_document'
        except
        select kept.unit_id, kept.fiscal_year
        from {{ this }} as kept
    )
    {%- endif -%}
{%- endmacro %}
