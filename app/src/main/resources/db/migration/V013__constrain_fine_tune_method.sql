-- A fine-tune trains a LoRA adapter ('lora', what every job so far did) or every weight of the
-- model ('full', delivering a whole model under jobs/{job}/model/). The column exists since V001.
ALTER TABLE fine_tune_job ADD CONSTRAINT ck_fine_tune_job_method CHECK (method IN ('lora', 'full'));
