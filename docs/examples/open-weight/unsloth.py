"""Unsloth: LoRA on a 4-bit Qwen2.5 (a CUDA GPU), on fn-distil's prompt-completion lines.

    npx fn-distil dataset convert math_finetunes.train.jsonl --to prompt-completion -o math_pc.train.jsonl
    npx fn-distil dataset convert math_finetunes.val.jsonl --to prompt-completion -o math_pc.val.jsonl
    python docs/examples/open-weight/unsloth.py

Unsloth trains through TRL's SFTTrainer, which puts the loss on the completion only for
prompt-completion lines (TRL docs, "Dataset formats": conversational prompt-completion). The
answers are plain JSON content, so no tool-call template is involved (Unsloth's Qwen2.5 template
renders `arguments | tojson`, which would encode fn-distil's string arguments twice).
"""

from datasets import load_dataset
from trl import SFTConfig, SFTTrainer
from unsloth import FastLanguageModel

model, tokenizer = FastLanguageModel.from_pretrained("unsloth/Qwen2.5-0.5B-Instruct", max_seq_length=1024, load_in_4bit=True)
model = FastLanguageModel.get_peft_model(
    model,
    r=16,
    lora_alpha=16,
    target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
    random_state=1,
)
data = load_dataset("json", data_files={"train": "math_pc.train.jsonl", "validation": "math_pc.val.jsonl"})
trainer = SFTTrainer(
    model=model,
    processing_class=tokenizer,
    train_dataset=data["train"],
    eval_dataset=data["validation"],
    args=SFTConfig(output_dir="outputs/fn-distil-math", num_train_epochs=3, per_device_train_batch_size=8, learning_rate=2e-4, seed=1),
)
trainer.train()
# A GGUF for llama-server or Ollama (Unsloth runs llama.cpp's converter).
model.save_pretrained_gguf("fn-distil-math-gguf", tokenizer, quantization_method="q8_0")
