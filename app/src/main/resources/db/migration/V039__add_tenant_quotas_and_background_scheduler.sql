-- Per-tenant quotas a platform admin may set; NULL means the platform's default
-- (tuneforge.quotas.*). dispatch_weight is the tenant's share in dispatch's fair queueing.
ALTER TABLE tenant
    ADD COLUMN max_running_jobs    INTEGER,
    ADD COLUMN max_queued_jobs     INTEGER,
    ADD COLUMN max_storage_bytes   BIGINT,
    ADD COLUMN max_background_work INTEGER,
    ADD COLUMN dispatch_weight     INTEGER NOT NULL DEFAULT 1,
    ADD CONSTRAINT ck_tenant_max_running_jobs CHECK (max_running_jobs >= 0),
    ADD CONSTRAINT ck_tenant_max_queued_jobs CHECK (max_queued_jobs >= 0),
    ADD CONSTRAINT ck_tenant_max_storage_bytes CHECK (max_storage_bytes >= 0),
    ADD CONSTRAINT ck_tenant_max_background_work CHECK (max_background_work >= 1),
    ADD CONSTRAINT ck_tenant_dispatch_weight CHECK (dispatch_weight BETWEEN 1 AND 100);

-- Background work (dev.tuneforge.app.work.WorkQuartzJob) runs on a Quartz scheduler of its own,
-- 'tuneforgeBackground', with its own threads, so dispatch and node liveness never wait behind it.
-- Runs queued when the app is upgraded move to it with their triggers, so none is lost.
INSERT INTO qrtz_job_details (sched_name, job_name, job_group, description, job_class_name,
                              is_durable, is_nonconcurrent, is_update_data, requests_recovery,
                              job_data)
SELECT 'tuneforgeBackground', job_name, job_group, description, job_class_name, is_durable,
       is_nonconcurrent, is_update_data, requests_recovery, job_data
FROM qrtz_job_details
WHERE job_class_name = 'dev.tuneforge.app.work.WorkQuartzJob'
  AND sched_name <> 'tuneforgeBackground';

INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group,
                           description, next_fire_time, prev_fire_time, priority, trigger_state,
                           trigger_type, start_time, end_time, calendar_name, misfire_instr,
                           job_data)
SELECT 'tuneforgeBackground', t.trigger_name, t.trigger_group, t.job_name, t.job_group,
       t.description, t.next_fire_time, t.prev_fire_time, t.priority, 'WAITING', t.trigger_type,
       t.start_time, t.end_time, t.calendar_name, t.misfire_instr, t.job_data
FROM qrtz_triggers t
         JOIN qrtz_job_details j
              ON j.sched_name = t.sched_name AND j.job_name = t.job_name
                  AND j.job_group = t.job_group
WHERE j.job_class_name = 'dev.tuneforge.app.work.WorkQuartzJob'
  AND t.sched_name <> 'tuneforgeBackground';

INSERT INTO qrtz_simple_triggers (sched_name, trigger_name, trigger_group, repeat_count,
                                  repeat_interval, times_triggered)
SELECT 'tuneforgeBackground', s.trigger_name, s.trigger_group, s.repeat_count, s.repeat_interval,
       s.times_triggered
FROM qrtz_simple_triggers s
         JOIN qrtz_triggers t
              ON t.sched_name = s.sched_name AND t.trigger_name = s.trigger_name
                  AND t.trigger_group = s.trigger_group
         JOIN qrtz_job_details j
              ON j.sched_name = t.sched_name AND j.job_name = t.job_name
                  AND j.job_group = t.job_group
WHERE j.job_class_name = 'dev.tuneforge.app.work.WorkQuartzJob'
  AND s.sched_name <> 'tuneforgeBackground';

DELETE FROM qrtz_simple_triggers s
    USING qrtz_triggers t, qrtz_job_details j
WHERE t.sched_name = s.sched_name AND t.trigger_name = s.trigger_name
  AND t.trigger_group = s.trigger_group
  AND j.sched_name = t.sched_name AND j.job_name = t.job_name AND j.job_group = t.job_group
  AND j.job_class_name = 'dev.tuneforge.app.work.WorkQuartzJob'
  AND s.sched_name <> 'tuneforgeBackground';

DELETE FROM qrtz_triggers t
    USING qrtz_job_details j
WHERE j.sched_name = t.sched_name AND j.job_name = t.job_name AND j.job_group = t.job_group
  AND j.job_class_name = 'dev.tuneforge.app.work.WorkQuartzJob'
  AND t.sched_name <> 'tuneforgeBackground';

DELETE FROM qrtz_job_details
WHERE job_class_name = 'dev.tuneforge.app.work.WorkQuartzJob'
  AND sched_name <> 'tuneforgeBackground';
