-- The var qualification_ruleset must name a row of the seed, or no handoff could be judged.
select '{{ var("qualification_ruleset") }}' as missing_ruleset
where not exists (
        select 1 from {{ ref('qualification_rules') }}
        where ruleset_version = '{{ var("qualification_ruleset") }}'
    )
