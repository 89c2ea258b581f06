"""Loads an adapter written by the Java trainer with Hugging Face transformers and PEFT, as they are,
and checks PEFT's logits against the independent float64 reference (reference_generate.py) that the
Java tests check the Java model against. Needs torch, transformers and peft (not in Debian: run it
where they are installed, e.g. the GPU machine; docs/training.md, "PEFT and a GPU").

usage: peft_check.py MODEL_DIR ADAPTER_DIR [DEVICE ...]   (devices default to cpu, and cuda when there is one)
prints, per device and dtype: whether PEFT reported missing or unexpected keys, the largest
difference of the last position's logits to the reference, the same with the adapter disabled
(so that the adapter is seen to matter), and the merged model (merge_and_unload) against both.
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_generate import last_logits  # noqa: E402
from reference_model import Config, read_safetensors, read_weights  # noqa: E402


def main(model_dir, adapter_dir, devices):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    with open(os.path.join(model_dir, "config.json")) as f:
        config = Config(json.load(f))
    with open(os.path.join(adapter_dir, "adapter_config.json")) as f:
        adapter_config = json.load(f)
    scaling = adapter_config["lora_alpha"] / adapter_config["r"]
    weights = read_weights(model_dir)
    prefix = "base_model.model."
    lora = {name[len(prefix):]: tensor for name, tensor in read_safetensors(
        os.path.join(adapter_dir, "adapter_model.safetensors")).items()}
    generator = torch.Generator().manual_seed(7)
    vocab = weights["model.embed_tokens.weight"].shape[0]
    ids = torch.randint(0, vocab, (48,), generator=generator)
    with torch.no_grad():
        reference = last_logits(config, weights, lora, scaling, ids)
        reference_base = last_logits(config, weights, {}, scaling, ids)
    print(f"adapter: r {adapter_config['r']}, alpha {adapter_config['lora_alpha']}, targets "
          f"{sorted(adapter_config['target_modules'])}, {len(lora)} matrices; reference: float64, "
          f"adapter changes the last logits by up to {(reference - reference_base).abs().max():.4g}")
    for device in devices:
        for dtype in (torch.float32, torch.bfloat16):
            base = AutoModelForCausalLM.from_pretrained(model_dir, torch_dtype=dtype).to(device)
            model = PeftModel.from_pretrained(base, adapter_dir, is_trainable=False).to(device)
            model.eval()
            loaded = {n for n, _ in model.named_parameters() if "lora_" in n}
            expected = {prefix + n.replace(".weight", ".default.weight") for n in lora}
            missing = sorted(expected - loaded)
            with torch.no_grad():
                batch = ids[None, :].to(device)
                tuned = model(batch).logits[0, -1].double().cpu()
                with model.disable_adapter():
                    untuned = model(batch).logits[0, -1].double().cpu()
                merged = model.merge_and_unload()(batch).logits[0, -1].double().cpu()
            scale = reference.abs().max()
            print(f"{device:5s} {str(dtype):15s} lora params {len(loaded)}, missing {len(missing)}; "
                  f"max |PEFT - reference| {(tuned - reference).abs().max():.3g} "
                  f"({(tuned - reference).abs().max() / scale:.2g} of the largest logit); "
                  f"adapter off vs reference base {(untuned - reference_base).abs().max():.3g}; "
                  f"merged vs reference {(merged - reference).abs().max():.3g}; "
                  f"argmax equal {int(tuned.argmax()) == int(reference.argmax())}")
            if missing:
                print("  missing:", missing[:5])


if __name__ == "__main__":
    chosen = sys.argv[3:] or (["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"])
    main(sys.argv[1], sys.argv[2], chosen)
