-- The loader's ledger: one row per delivered file and what became of it (loaded,
-- quarantined, skipped). Read for which entities were ever delivered.
with manifest as (select * from {{ source('crm', '_load_manifest') }})

select * from manifest
