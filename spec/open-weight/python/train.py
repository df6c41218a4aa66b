"""Trains a tiny llama model from scratch on a TRL conversational prompt-completion JSONL file.

    python train.py --train TRAIN.jsonl --out DIR [--seed 1] [--epochs 30] [--max-steps N] [--max-seconds 300]

Nothing is downloaded: the tokenizer is built from the data (tokenizer.py) and the model from a
config. DIR gets the Hugging Face model and tokenizer (save_pretrained), which to_gguf.py reads.
"""

import argparse
import json
import time

import torch
from datasets import Dataset
from transformers import LlamaConfig, LlamaForCausalLM, TrainerCallback, set_seed
from trl import SFTConfig, SFTTrainer

from tokenizer import build_tokenizer


class StopAfter(TrainerCallback):
    """Ends training after a wall-clock budget, so a slow machine still finishes in bounded time."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def on_step_end(self, args, state, control, **kwargs):
        if time.monotonic() > self.deadline:
            control.should_training_stop = True
        return control


def tiny_llama(tokenizer) -> LlamaForCausalLM:
    # About half a million parameters: enough for a keyword classifier, a few minutes on 2 cores.
    # Fewer key/value heads than query heads, so to_gguf.py's grouped-query permutation is exercised.
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=192,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        # RoPE positions cost no parameters: room for prompts that list tools (about 540 tokens with a
        # Hermes-style template) although training only sees ~130-token examples.
        max_position_embeddings=2048,
        rms_norm_eps=1e-5,
        tie_word_embeddings=False,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return LlamaForCausalLM(config)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=float, default=30)
    parser.add_argument("--max-steps", type=int, default=-1, help="stop after this many steps (-1: the epochs decide)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--learning-rate", type=float, default=3e-3)
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    set_seed(args.seed)
    # One thread by default: this model's matrices are so small that a second OpenMP thread mostly
    # waits, and on a busy machine its spin-waits made a step 10x slower (measured: 0.06-0.18 s
    # per step with one thread, 1.0-1.3 s with two, under a load average of 10 on 2 cores).
    torch.set_num_threads(args.threads)
    with open(args.train, encoding="utf-8") as file:
        rows = [json.loads(line) for line in file if line.strip()]
    tokenizer = build_tokenizer(rows)
    model = tiny_llama(tokenizer)

    config = SFTConfig(
        output_dir=args.out,
        seed=args.seed,
        # TRL defaults to bf16, which this kind of CPU emulates 10-40x slower (measured); and to
        # gradient checkpointing, which only trades speed for memory a model this size never needs.
        bf16=False,
        fp16=False,
        gradient_checkpointing=False,
        use_cpu=True,
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        per_device_train_batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        lr_scheduler_type="cosine",
        warmup_steps=20,
        weight_decay=0.0,
        max_length=512,
        # Conversational prompt-completion: TRL masks the prompt, so the loss covers the answer only
        # (TRL docs, "Train on completion only"; completion_only_loss=None means yes for this shape).
        completion_only_loss=True,
        logging_steps=20,
        save_strategy="no",
        report_to="none",
        dataloader_num_workers=0,
        disable_tqdm=True,
    )
    trainer = SFTTrainer(
        model=model,
        args=config,
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
        callbacks=[StopAfter(args.max_seconds)],
    )
    started = time.monotonic()
    result = trainer.train()
    seconds = time.monotonic() - started
    trainer.save_model(args.out)
    tokenizer.save_pretrained(args.out)
    parameters = sum(p.numel() for p in model.parameters())
    print(json.dumps({"parameters": parameters, "steps": result.global_step, "loss": result.training_loss, "seconds": round(seconds, 1)}))


if __name__ == "__main__":
    main()
