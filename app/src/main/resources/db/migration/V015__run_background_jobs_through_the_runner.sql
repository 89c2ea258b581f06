-- Generation, token-length and teacher runs are fired by one Quartz job class now
-- (dev.tuneforge.app.work.WorkQuartzJob), which reads the kind from the job's group, the run from
-- its name and the tenant from its data, as the three classes before it stored them. Runs queued
-- or running when the app is upgraded are handed to it, so none is lost. It never runs one job
-- twice at once.
UPDATE qrtz_job_details
SET job_class_name = 'dev.tuneforge.app.work.WorkQuartzJob',
    is_nonconcurrent = TRUE
WHERE job_class_name IN (
    'dev.tuneforge.app.synthetic.GenerationQuartzJob',
    'dev.tuneforge.app.dataset.tokens.TokenLengthQuartzJob',
    'dev.tuneforge.app.teacher.TeacherRunJob');
