"""Fine-tunes a causal language model on fn-distil's prompt-completion lines with TRL's SFTTrainer.

    python train_trl.py --model Qwen/Qwen2.5-0.5B-Instruct \
        --train math_pc.train.jsonl --val math_pc.val.jsonl --out math-model

--model is a Hugging Face hub id or a local folder (model and tokenizer, with a chat template).
--train and --val are `fn-distil dataset convert --to prompt-completion` files: TRL's
conversational prompt-completion lines, so the loss covers the answer only. --out gets the model
and tokenizer (save_pretrained), which vLLM and SGLang serve as they are and llama.cpp's
convert_hf_to_gguf.py turns into a GGUF file. The last line printed is a JSON summary.

Needs torch, transformers, trl and datasets (pip install trl).
"""

import argparse
import json
import time

import torch
from datasets import load_dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed
from trl import SFTConfig, SFTTrainer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="hub id or local folder of the model to fine-tune")
    parser.add_argument("--train", required=True, help="prompt-completion JSONL to train on")
    parser.add_argument("--val", help="prompt-completion JSONL whose loss is reported after training")
    parser.add_argument("--out", required=True, help="folder for the fine-tuned model and tokenizer")
    parser.add_argument("--epochs", type=float, default=3)
    parser.add_argument("--max-steps", type=int, default=-1, help="stop after this many steps (-1: the epochs decide)")
    parser.add_argument("--learning-rate", type=float, default=2e-5)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    set_seed(args.seed)
    # bf16 on a GPU that has it; on a CPU, bf16 is emulated 10-40x slower than float32 (measured
    # on the 2-core machine fn-distil's tests run on), and TRL turns it on by default.
    bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.bfloat16 if bf16 else torch.float32)
    files = {"train": args.train, **({"validation": args.val} if args.val else {})}
    data = load_dataset("json", data_files=files)

    config = SFTConfig(
        output_dir=args.out,
        seed=args.seed,
        bf16=bf16,
        fp16=False,
        # Gradient checkpointing (TRL's default) saves GPU memory at the cost of speed; a CPU run
        # has the memory and not the speed.
        gradient_checkpointing=torch.cuda.is_available(),
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        lr_scheduler_type="cosine",
        # Below 1, a share of the steps (transformers' TrainingArguments): 3%, whatever the run's length.
        warmup_steps=0.03,
        # Conversational prompt-completion: TRL masks the prompt, so the loss covers the answer
        # only (TRL docs, "Train on completion only"); said explicitly rather than left to the default.
        completion_only_loss=True,
        logging_steps=20,
        save_strategy="no",
        report_to="none",
    )
    trainer = SFTTrainer(
        model=model,
        args=config,
        train_dataset=data["train"],
        eval_dataset=data["validation"] if args.val else None,
        processing_class=tokenizer,
    )
    started = time.monotonic()
    result = trainer.train()
    seconds = time.monotonic() - started
    trainer.save_model(args.out)
    tokenizer.save_pretrained(args.out)
    summary = {
        "parameters": sum(p.numel() for p in model.parameters()),
        "steps": result.global_step,
        "loss": result.training_loss,
        "seconds": round(seconds, 1),
    }
    if args.val:
        summary["valLoss"] = trainer.evaluate()["eval_loss"]
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
