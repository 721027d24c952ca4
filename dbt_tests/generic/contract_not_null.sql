{#- The NOT NULL constraints of a model's contract, checked as data. DuckDB enforces them
    when it builds the table; Spark's Parquet tables cannot (only Delta can), so on Spark
    this test is what stops a NULL. One query per model, reading the columns from the
    contract itself so the two never drift apart. -#}
{% test contract_not_null(model) %}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model'
            and node.alias == model.identifier
            and node.schema == model.schema -%}
            {%- for column in node.columns.values()
                if column.constraints | selectattr('type', 'equalto', 'not_null') | list -%}
                {%- do columns.append(column.name) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif %}
    select *
    from {{ model }}
    where {{ (columns | join(' is null or ') ~ ' is null') if columns else '1 = 0' }}
{% endtest %}
