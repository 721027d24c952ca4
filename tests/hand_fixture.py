"""The hand-built CRM extract the KPI tests work their expected numbers out from.

Period: January and February 2025, as of 2025-02-28. EUR is worth 1.20 from 1 Jan and
1.25 from 15 Feb. The tests that use it (test_kpis_fixture, test_readers) show the
arithmetic beside each expected number.
"""

from __future__ import annotations

AS_OF = "2025-02-28"

FIXTURE = {
    "teams": """
team_id,team_name,region,manager_id,updated_at
T1,Pod A,EMEA,U5,2024-01-01
T2,Pod B,APAC,U5,2024-01-01
""",
    # U4 is an SDR promoted to AE on 10 Feb
    "users": """
user_id,full_name,email,role,team_id,manager_id,hire_date,termination_date,updated_at
U1,Sam SDR,sam@x.io,SDR,T1,U5,2024-01-01,,2024-01-01
U2,Alex AE,alex@x.io,AE,T1,U5,2024-01-01,,2024-01-01
U3,Mia AM,mia@x.io,AM,T1,U5,2024-01-01,,2024-01-01
U4,Pat Promoted,pat@x.io,SDR,T2,U5,2024-06-01,,2024-06-01
U4,Pat Promoted,pat@x.io,AE,T2,U5,2024-06-01,,2025-02-10T08:00:00
U5,Max Manager,max@x.io,MANAGER,T1,,2020-01-01,,2020-01-01
""",
    # L1 has timing confirmed only on 12 Jan; L4 is deleted
    "leads": """
lead_id,created_at,owner_id,source,email,phone,industry,employee_count,budget_confirmed,authority_confirmed,need_confirmed,timing_confirmed,status,updated_at,is_deleted
L1,2025-01-05T09:00:00,U1,Referral,a@p.io,1,software,80,true,true,true,false,working,2025-01-05T09:00:00,
L1,2025-01-05T09:00:00,U1,Referral,a@p.io,1,software,80,true,true,true,true,working,2025-01-12T09:00:00,
L2,2025-01-06T09:00:00,U1,,b@p.io,2,retail,30,true,true,true,true,working,2025-01-06T09:00:00,
L3,2025-01-07T09:00:00,U4,inbound,c@p.io,3,finance,200,true,true,true,true,working,2025-01-07T09:00:00,
L4,2025-02-03T09:00:00,U1,referral,d@p.io,4,retail,10,false,false,false,false,new,2025-02-03T09:00:00,
L4,2025-02-03T09:00:00,U1,referral,d@p.io,4,retail,10,false,false,false,false,new,2025-02-05T09:00:00,true
""",
    "lead_handoffs": """
handoff_id,lead_id,sdr_id,ae_id,sent_at,decision,decided_at,rejection_reason,feedback,opportunity_id,updated_at
H1,L1,U1,U2,2025-01-10T10:00:00,pending,,,,,2025-01-10T10:00:00
H1,L1,U1,U2,2025-01-10T10:00:00,rejected,2025-01-11T10:00:00,bad timing,Come back later,,2025-01-11T10:00:00
H2,L1,U1,U2,2025-01-15T10:00:00,accepted,2025-01-16T09:00:00,,,O1,2025-01-16T09:00:00
H3,L2,U1,U2,2025-01-20T10:00:00,rejected,2025-01-21T10:00:00,company too small,,,2025-01-21T10:00:00
H4,L3,U4,U2,2025-02-01T10:00:00,accepted,2025-02-02T09:00:00,,,O2,2025-02-02T09:00:00
H5,L4,U1,U2,2025-02-04T10:00:00,pending,,,,,2025-02-04T10:00:00
""",
    # O2 does not name its handoff: H4 names O2, so U4 sourced it. O5's amount is unknown.
    "opportunities": """
opportunity_id,account_id,owner_id,opportunity_type,stage,amount,currency,created_at,close_date,is_closed,is_won,lead_id,handoff_id,updated_at
O1,A1,U2,new_business,discovery,10000,,2025-01-16T10:00:00,2025-02-28,false,false,L1,H2,2025-01-16T10:00:00
O1,A1,U2,new_business,closed_won,10000,,2025-01-16T10:00:00,2025-02-14,true,true,L1,H2,2025-02-14T17:00:00
O2,A2,U2,new_business,proposal,5000,EUR,2025-02-02T10:00:00,2025-03-30,false,false,L3,,2025-02-02T10:00:00
O3,A1,U3,upsell,closed_won,2000,,2025-02-16T10:00:00,2025-02-20,true,true,,,2025-02-20T17:00:00
O4,A3,U2,new_business,closed_lost,3000,,2025-01-03T10:00:00,2025-01-25,true,false,,,2025-01-25T17:00:00
O5,A4,U2,new_business,closed_won,,,2025-01-10T10:00:00,2025-01-30,true,true,,,2025-01-30T17:00:00
""",
    "opportunity_stage_history": """
opportunity_id,entered_at,stage,updated_at
O1,2025-01-16T10:00:00,discovery,2025-01-16T10:00:00
O1,2025-02-14T17:00:00,closed_won,2025-02-14T17:00:00
""",
    "accounts": """
account_id,account_name,industry,employee_count,country,owner_id,created_at,updated_at
A1,Acme,software,80,DE,U3,2024-01-01,2024-01-01
A2,Beta,finance,200,KR,,2025-02-02,2025-02-02
A3,Gamma,retail,40,TH,,2025-01-03,2025-01-03
A4,Delta,retail,60,US,U3,2025-01-10,2025-01-10
A5,Old Co,software,500,US,U3,2023-01-01,2023-01-01
""",
    "contracts": """
contract_id,account_id,opportunity_id,start_date,end_date,annual_value,currency,updated_at
K1,A1,O1,2025-02-20,2026-02-19,10000,,2025-02-19
K2,A1,O3,2025-02-21,2026-02-19,2000,,2025-02-20
K3,A5,,2024-02-01,2025-01-31,6000,,2024-01-31
K4,A4,O5,2025-02-01,,1000,EUR,2025-01-31
""",
    "fx_rates": """
currency,rate_date,rate_to_reporting,updated_at
EUR,2025-01-01,1.2,2025-01-01
EUR,2025-02-15,1.25,2025-02-15
""",
    # C10 is logged and then deleted
    "activities": """
activity_id,owner_id,activity_type,occurred_at,duration_seconds,outcome,lead_id,opportunity_id,updated_at,is_deleted
C1,U1,call,2025-01-06T10:00:00,60,connected,L1,,2025-01-06T10:00:00,
C2,U1,call,2025-01-07T10:00:00,60,connected,L1,,2025-01-07T10:00:00,
C3,U1,call,2025-01-08T10:00:00,60,voicemail,L2,,2025-01-08T10:00:00,
C4,U1,call,2025-01-09T10:00:00,60,connected,L2,,2025-01-09T10:00:00,
C11,U1,email,2025-01-09T11:00:00,0,completed,L2,,2025-01-09T11:00:00,
C5,U4,call,2025-02-05T10:00:00,60,connected,L3,,2025-02-05T10:00:00,
C6,U4,call,2025-02-12T10:00:00,60,connected,,O2,2025-02-12T10:00:00,
C7,U2,call,2025-01-20T10:00:00,60,connected,,O1,2025-01-20T10:00:00,
C8,U2,call,2025-02-01T10:00:00,60,connected,,O1,2025-02-01T10:00:00,
C9,U2,call,2025-01-20T11:00:00,60,connected,,O4,2025-01-20T11:00:00,
C10,U2,call,2025-01-21T10:00:00,60,connected,,,2025-01-21T10:00:00,
C10,U2,call,2025-01-21T10:00:00,60,connected,,,2025-01-22T10:00:00,true
""",
    "costs": """
cost_id,month,category,amount,currency,updated_at
Q1,2025-01-01,sales,3000,,2025-01-31
Q2,2025-01-01,marketing,1000,,2025-01-31
Q3,2025-02-01,sales,3000,,2025-02-28
Q4,2025-02-01,marketing,500,EUR,2025-02-28
Q5,2025-02-01,tools,100,,2025-02-28
""",
    "goals": """
goal_id,scope,scope_id,metric,grain,period_start,target,updated_at
G1,user,U2,bookings_amount,month,2025-01-01,20000,2024-12-28
G2,user,U2,bookings_amount,month,2025-02-01,8000,2025-01-28
G3,user,U1,calls,week,2025-01-06,5,2025-01-03
G4,team,T1,calls,month,2025-01-01,10,2024-12-28
G5,company,,calls,month,2025-02-01,0,2025-01-28
""",
    "coaching_sessions": """
session_id,coach_id,coachee_id,occurred_at,duration_minutes,topic,target_metric,updated_at
S1,U2,U1,2025-01-20T15:00:00,30,discovery,qualified_lead_rate,2025-01-20T16:00:00
""",
    # AE plan PA: 10 % on bookings, doubled above 100 % of quota; SDR plan PS: 50 per
    # accepted handoff and 1 % of sourced wins; AM plan PM: 5 % of expansion. U4 moves
    # from PS to PA with the promotion on 10 Feb; the manager U5 is on no plan.
    "comp_plans": """
plan_id,plan_name,role,period_grain,base_salary,target_variable,currency,commission_rate,cap_amount,per_accepted_handoff,sourced_won_rate,expansion_rate,renewal_rate,manager_override_rate,clawback_days,updated_at
PA,AE plan,AE,month,5000,1000,,0.1,,,,,,,90,2024-01-01
PS,SDR plan,SDR,month,3000,500,,,,50,0.01,,,,90,2024-01-01
PM,AM plan,AM,month,4000,800,,,,,,0.05,,,90,2024-01-01
""",
    "comp_plan_tiers": """
plan_id,from_attainment,rate_multiplier,updated_at
PA,0,1,2024-01-01
PA,1.0,2,2024-01-01
""",
    "comp_plan_assignments": """
assignment_id,user_id,plan_id,start_date,end_date,updated_at
CA1,U1,PS,2024-01-01,,2024-01-01
CA2,U2,PA,2024-01-01,,2024-01-01
CA3,U3,PM,2024-01-01,,2024-01-01
CA4,U4,PS,2024-06-01,2025-02-09,2024-06-01
CA5,U4,PA,2025-02-10,,2025-02-09
""",
    "contests": """
contest_id,contest_name,metric,scope,scope_value,start_date,end_date,updated_at
K1,Call Blitz,calls,role,SDR,2025-01-01,2025-01-31,2024-12-20
""",
}
