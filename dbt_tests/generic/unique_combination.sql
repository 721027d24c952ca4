{#- The grain of a model: no two rows share these columns. Rows are first grouped by one
    64-bit hash of the key (a narrow key groups several times faster than five wide ones
    on tables of tens of millions of rows); only keys whose hash repeats are then grouped
    exactly, so a hash collision costs time, never a wrong result. -#}
{% test unique_combination(model, columns) %}
{%- set key = columns | join(', ') %}
with repeated_hashes as (
    select {{ key_hash(columns) }} as key_hash
    from {{ model }}
    group by {{ key_hash(columns) }}
    having count(*) > 1
)

select {{ key }}, count(*) as rows_with_this_key
from {{ model }}
where {{ key_hash(columns) }} in (select repeated_hashes.key_hash from repeated_hashes)
group by {{ key }}
having count(*) > 1
{% endtest %}
