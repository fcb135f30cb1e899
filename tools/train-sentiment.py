#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Train a small transformer that classifies short film phrases as
positive or negative, and write it as a Layerscope document.

Output:

  data/examples/sentiment.json
      The trained network in format version 3, with the phrase "the movie
      was not good" as its token input, the class names "negative" and
      "positive", and its measured test accuracy.
  data/datasets/sentiment-test.tsv
      The test phrases, one per line as label<TAB>text after a comment
      line, with the label as the class name.

Data: short synthetic phrases about a film, 1 to 10 tokens each, made by
random.Random(CORPUS_SEED) from the word lists and templates below, such
as "the acting was really great!", "i did not like the plot." or "never
boring". A phrase is positive when its sentiment word (an adjective, or a
verb such as "liked") is positive and not negated. It is also positive
when that word is negative and negated by "not", "never" or "no" right
before it, where an intensifier such as "really" may sit in between and
"at all" may follow. Some phrases open with a negator that negates
nothing, as in "not gonna lie, the film was great", so a bag of words
cannot classify them. The generator draws phrases until it has
TRAIN_PHRASES + TEST_PHRASES distinct ones, and the first TEST_PHRASES of
a seeded shuffle form the test split, so the two splits share no phrase.

Model, in Layerscope's layer types and conventions: embedding (d = 16,
vocabulary "[UNK]" and then every token of the training phrases, sorted,
each row at most EMBEDDING_MAX_NORM long),
sinusoidal positions, one self-attention layer with 2 heads (not causal,
with residual), layernorm, a per-token dense ReLU layer of 16 units, mean
pooling over the tokens, and a dense softmax layer with 2 outputs. The
PyTorch model uses torch.nn.MultiheadAttention, and the export turns its
weights into the x·W form of the document.

Training: Adam on softmax cross-entropy, with the epochs, batch size and
learning rate below and the batches reshuffled every epoch. Phrases of a
batch are padded, and the padding is masked out of the attention keys and
of the mean.

Evaluation: the script reads the written weights back from the JSON text
and runs them through a float32 numpy forward pass of its own, which
tokenizes each test phrase as Layerscope does. The document's "dataset"
key stores how many test phrases that pass classifies correctly. The
script fails if PyTorch, run on each phrase alone, predicts another class
than numpy for any test phrase, or if a phrase's two logits lie so close
that another float32 summation order could swap them. With the settings
below it classified all 400 test phrases correctly, and the smallest gap
between the two logits of a phrase was 1.18 (relative to max(1, |logit|)).

Attention: the script prints each head's attention rows for a few negated
phrases. In every one of them, some head must make the sentiment word, or
more than half of the tokens, put more than ATTENTION_THRESHOLD of their
weight on the negator, or the script fails. The mean pooling is what makes
such attention necessary: the pooled vector can only tell "not good" from
"good" if some token's row already carries both words. Plain training
gives it, with one change to the data. In a first corpus "did" came only
in "i did not like ...", and the trained model read the negation of such
phrases from "did" and from "not" looking at the verb, while "like" put
only 0.18 on "not". Since the corpus also has "i did like ...", the
sentiment word of every checked phrase puts 0.77 to 1.00 of its weight on
the negator in its strongest head. In head 2 nearly every token of "the
movie was not good" puts 0.96 to 0.99 there, while head 1 splits between
the negator and the sentiment word.

The cap on the embedding rows keeps the word part of each token vector
smaller than its position part (norm at most 1 against sqrt(8)), so that
a head can also attend by position. Without it the rows grew to a norm
of about 4, and the window's "Attend to previous token" preset made
t − 1 the largest weight in only about a fifth of the rows of the test
phrases; with it, in two thirds. A cap of 0.5 made the model find the
negator through the word after it instead, and the attention check
failed.

The corpus also has phrases of one or two words ("good", "not bad") and
contracted negations ("wasn't", "didn't"), which are what a user tends
to type first.

Rerun it from the top of the source tree with

    /usr/bin/python3 tools/train-sentiment.py

where /usr/bin/python3 is a Python with PyTorch and numpy, such as
Debian's with python3-torch. Every random number comes from the seeds
below, on 2 threads with deterministic algorithms, so a rerun with the
same PyTorch version writes the same files. A run took 11 s on 2 cores
of an x86-64 Xeon (PyTorch 1.13, numpy 1.24) while other programs shared
the machine, and up to 80 s under heavier load.
"""

import json
import math
import os
import random
import sys
import time
import unicodedata

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DOCUMENT = os.path.join(ROOT, "data", "examples", "sentiment.json")
TEST_TSV = os.path.join(ROOT, "data", "datasets", "sentiment-test.tsv")

CORPUS_SEED = 20240611
TORCH_SEED = 20240612
THREADS = 2

TRAIN_PHRASES = 2000
TEST_PHRASES = 400
MIN_TOKENS = 1
MAX_PHRASE_TOKENS = 10
MAX_TOKENS = 16

DIM = 16
HEADS = 2
HIDDEN_UNITS = 16
EPOCHS = 60
BATCH = 32
LEARNING_RATE = 3e-3
LAYERNORM_EPS = 1e-5
# The largest Euclidean norm of an embedding row, about a third of the
# norm of a sinusoidal position vector (sqrt(DIM / 2)). It keeps the
# position part of a token's vector large enough for a head to attend by
# position, which the window's "Attend to previous token" preset needs.
EMBEDDING_MAX_NORM = 1.0

LABELS = ["negative", "positive"]
UNKNOWN = "[UNK]"
INPUT_TEXT = "the movie was not good"

# Two logits closer than this, relative to max(1, |logit|), could swap
# between summation orders in float32.
NEAR_TIE_MARGIN = 1e-4

# Attention weight above which a token counts as looking at the negator.
ATTENTION_THRESHOLD = 0.3

# Negated phrases whose attention the script prints and checks, each with
# its sentiment word and its negator.
ATTENTION_CHECKS = [
    (INPUT_TEXT, "good", "not"),
    ("this film is not bad at all", "bad", "not"),
    ("the acting was not really great!", "great", "not"),
    ("i did not like the plot.", "like", "not"),
    ("not a good movie", "good", "not"),
    ("never boring", "boring", "never"),
]


# Corpus

SUBJECTS = ["the movie", "this movie", "the film", "this film", "the plot",
            "the story", "the acting", "the cast", "the ending", "the music",
            "the script", "the dialogue", "it"]
LINKING_VERBS = ["was", "is", "seemed", "felt"]
# Negated by contraction. The tokenizer splits "wasn't" into "wasn", "'"
# and "t", so the model has to learn these pieces as a negator.
CONTRACTED_VERBS = ["wasn't", "isn't"]
POSITIVE_WORDS = ["good", "great", "excellent", "fun", "wonderful", "brilliant",
                  "amazing", "enjoyable", "funny", "clever", "charming", "lovely"]
NEGATIVE_WORDS = ["bad", "boring", "awful", "terrible", "dull", "poor", "weak",
                  "tedious", "horrible", "silly", "bland", "predictable"]
INTENSIFIERS = ["really", "very", "so", "truly", "quite", "incredibly"]
NOUNS = ["movie", "film", "story", "script", "cast", "show"]
PLURAL_NOUNS = ["scenes", "moments", "jokes", "actors", "songs"]
# Openers that carry no sentiment, and openers whose negator negates nothing.
NEUTRAL_OPENERS = ["honestly", "overall", "well", "in the end", "to be fair",
                   "i think", "i guess", "frankly"]
DISTRACTOR_OPENERS = ["no doubt", "not gonna lie", "no spoilers", "not surprisingly"]
TAILS = ["overall", "to me", "in the end", "this time"]
# (verb after "i", base form after "i did not", polarity)
LIKE_VERBS = [("liked", "like", 1), ("loved", "love", 1), ("enjoyed", "enjoy", 1),
              ("hated", "hate", 0), ("disliked", "dislike", 0)]


def pick_sentiment_word(rng):
    """Return a random adjective and its polarity, 1 for positive."""
    polarity = rng.randrange(2)
    return rng.choice(POSITIVE_WORDS if polarity else NEGATIVE_WORDS), polarity


def pick_opener(rng):
    """Return a list of opening words, often none, sometimes with a
    negator that negates nothing."""
    roll = rng.random()
    if roll < 0.55:
        return []
    opener = rng.choice(NEUTRAL_OPENERS if roll < 0.8 else DISTRACTOR_OPENERS)
    return [opener + ("," if rng.random() < 0.6 else "")]


def statement_phrase(rng):
    """Return (words, label) for "[opener] subject verb [not] [really] good",
    where "was not" may also be "wasn't"."""
    word, polarity = pick_sentiment_word(rng)
    negator = rng.choice(["not", "never", "n't"]) if rng.random() < 0.5 else None
    verb = rng.choice(LINKING_VERBS)
    if negator == "n't":
        verb = rng.choice(CONTRACTED_VERBS)
    words = pick_opener(rng) + [rng.choice(SUBJECTS), verb]
    if negator and negator != "n't":
        words.append(negator)
    if rng.random() < 0.35:
        words.append(rng.choice(INTENSIFIERS))
    words.append(word)
    if negator and rng.random() < 0.3:
        words.append("at all")
    elif rng.random() < 0.2:
        words.append(rng.choice(TAILS))
    return words, polarity ^ (negator is not None)


def liking_phrase(rng):
    """Return (words, label) for "[opener] i [did not] like the plot"."""
    past, base, polarity = rng.choice(LIKE_VERBS)
    roll = rng.random()
    # "did" comes without "not" too, so that it is no sign of negation.
    if roll < 0.25:
        verb, negated = ["did not", base], True
    elif roll < 0.35:
        verb, negated = [rng.choice(["didn't", "don't"]), base], True
    elif roll < 0.5:
        verb, negated = ["never", past], True
    elif roll < 0.65:
        verb, negated = ["did", base], False
    else:
        verb, negated = [past], False
    words = pick_opener(rng) + ["i"] + verb + [rng.choice(SUBJECTS)]
    return words, polarity ^ negated


def short_phrase(rng):
    """Return (words, label) for "[not] a [really] good movie" or
    "[never] [really] boring"."""
    word, polarity = pick_sentiment_word(rng)
    negator = rng.choice(["not", "never"]) if rng.random() < 0.5 else None
    words = [negator] if negator else []
    if rng.random() < 0.5:
        words.append("a")
    if rng.random() < 0.4:
        words.append(rng.choice(INTENSIFIERS))
    words.append(word)
    if words[0] == "a" or (negator and words[1] == "a"):
        words.append(rng.choice(NOUNS))
    elif negator and rng.random() < 0.4:
        words.append("at all")
    return words, polarity ^ (negator is not None)


def word_phrase(rng):
    """Return (words, label) for "good", "really good" or "not good": the
    shortest phrases, which a user is likely to type first."""
    word, polarity = pick_sentiment_word(rng)
    roll = rng.random()
    if roll < 0.4:
        return [word], polarity
    if roll < 0.6:
        return [rng.choice(INTENSIFIERS), word], polarity
    return [rng.choice(["not", "never"]), word], polarity ^ 1


def absence_phrase(rng):
    """Return (words, label) for "there were no boring scenes"."""
    word, polarity = pick_sentiment_word(rng)
    negated = rng.random() < 0.5
    article = ["no"] if negated else rng.choice([["some"], ["many"], ["a", "few"]])
    words = pick_opener(rng) + ["there were"] + article + [word, rng.choice(PLURAL_NOUNS)]
    return words, polarity ^ negated


def contrast_phrase(rng):
    """Return (words, label) for "the movie was good, not bad": the first
    word decides, and the negated second word agrees with it."""
    word, polarity = pick_sentiment_word(rng)
    other = rng.choice(NEGATIVE_WORDS if polarity else POSITIVE_WORDS)
    words = [rng.choice(SUBJECTS), rng.choice(LINKING_VERBS), word + ",", "not", other]
    return words, polarity


# (generator, relative weight)
TEMPLATES = [(statement_phrase, 5), (liking_phrase, 2), (short_phrase, 2),
             (word_phrase, 1), (absence_phrase, 1), (contrast_phrase, 1)]


def make_phrase(rng):
    """Return (text, label) of one random phrase, with punctuation sometimes."""
    generators, weights = zip(*TEMPLATES)
    generator = rng.choices(generators, weights)[0]
    words, label = generator(rng)
    text = " ".join(words)
    roll = rng.random()
    if roll < 0.2:
        text += "!"
    elif roll < 0.4:
        text += "."
    return text, label


def make_corpus():
    """Return the (train, test) lists of distinct (text, label) phrases."""
    rng = random.Random(CORPUS_SEED)
    phrases = {}
    while len(phrases) < TRAIN_PHRASES + TEST_PHRASES:
        text, label = make_phrase(rng)
        if MIN_TOKENS <= len(tokenize(text)) <= MAX_PHRASE_TOKENS:
            assert phrases.get(text, label) == label, f"{text!r} has both labels"
            phrases[text] = label
    items = sorted(phrases.items())
    rng.shuffle(items)
    return items[TEST_PHRASES:], items[:TEST_PHRASES]


# Tokens

def tokenize(text):
    """Split text into tokens as Layerscope does: lowercase it, split it on
    whitespace, and make every punctuation or symbol character (Unicode
    categories P* and S*) a token of its own. Layerscope also keeps a
    character after a zero-width joiner in the same token, which the
    corpus, being plain ASCII, never needs."""
    tokens = []
    current = ""
    for character in text.lower():
        if character.isspace() or unicodedata.category(character)[0] in "PS":
            if current:
                tokens.append(current)
            current = ""
            if not character.isspace():
                tokens.append(character)
        else:
            current += character
    if current:
        tokens.append(current)
    return tokens


def make_vocabulary(phrases):
    """Return "[UNK]" followed by every token of phrases, sorted."""
    words = {token for text, _ in phrases for token in tokenize(text)}
    return [UNKNOWN] + sorted(words)


def token_ids(text, vocabulary):
    """Return the vocabulary index of each token of text, "[UNK]" for
    tokens outside the vocabulary."""
    index = {word: i for i, word in enumerate(vocabulary)}
    return [index.get(token, index[UNKNOWN]) for token in tokenize(text)]


def sinusoidal_table(length, d):
    """Return PE [length][d]: sin(pos / 10000^(2i/d)) in column 2i and cos
    in column 2i + 1, computed in float64 and rounded to float32."""
    table = np.zeros((length, d), dtype=np.float64)
    for pos in range(length):
        for column in range(d):
            angle = pos / 10000.0 ** (2 * (column // 2) / d)
            table[pos, column] = math.sin(angle) if column % 2 == 0 else math.cos(angle)
    return table.astype(np.float32)


# PyTorch model

class SentimentModel(torch.nn.Module):
    """Embedding, sinusoidal positions, attention with residual, layernorm,
    dense ReLU per token, mean over tokens and a linear output whose
    softmax the document stores as the last layer's activation."""

    def __init__(self, vocabulary_size):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocabulary_size, DIM, max_norm=EMBEDDING_MAX_NORM)
        self.register_buffer("positions", torch.from_numpy(sinusoidal_table(MAX_TOKENS, DIM)))
        self.attention = torch.nn.MultiheadAttention(DIM, HEADS, batch_first=True)
        self.norm = torch.nn.LayerNorm(DIM, eps=LAYERNORM_EPS)
        self.dense = torch.nn.Linear(DIM, HIDDEN_UNITS)
        self.output = torch.nn.Linear(HIDDEN_UNITS, len(LABELS))

    def forward(self, ids, padding):
        """Return the logits [batch][2] of ids [batch][tokens], where
        padding [batch][tokens] is true at padded positions."""
        x = self.embedding(ids) + self.positions[:ids.shape[1]]
        attended, _ = self.attention(x, x, x, key_padding_mask=padding, need_weights=False)
        x = self.norm(x + attended)
        x = torch.relu(self.dense(x))
        unpadded = (~padding).unsqueeze(-1).float()
        pooled = (x * unpadded).sum(dim=1) / unpadded.sum(dim=1)
        return self.output(pooled)


def make_batch(id_lists):
    """Return (ids [n][tokens], padding [n][tokens]) padded to the longest list."""
    length = max(len(ids) for ids in id_lists)
    ids = torch.zeros(len(id_lists), length, dtype=torch.long)
    padding = torch.ones(len(id_lists), length, dtype=torch.bool)
    for row, phrase_ids in enumerate(id_lists):
        ids[row, :len(phrase_ids)] = torch.tensor(phrase_ids)
        padding[row, :len(phrase_ids)] = False
    return ids, padding


def train(model, id_lists, labels, generator):
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    labels = torch.tensor(labels)
    model.train()
    for epoch in range(EPOCHS):
        order = torch.randperm(len(labels), generator=generator).tolist()
        total_loss = 0.0
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            ids, padding = make_batch([id_lists[i] for i in batch])
            optimizer.zero_grad()
            loss = F.cross_entropy(model(ids, padding), labels[batch])
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(batch)
        if (epoch + 1) % 10 == 0:
            print(f"  epoch {epoch + 1}/{EPOCHS}: mean loss "
                  f"{total_loss / len(labels):.4f}", file=sys.stderr)
    # Lookups rescale a row whose norm exceeds the maximum, and the last
    # optimiser step may have grown some again. Rescale every row as a
    # lookup would, so that the table that is written is the one in use.
    with torch.no_grad():
        torch.embedding_renorm_(model.embedding.weight, torch.arange(vocabulary_size_of(model)),
                                EMBEDDING_MAX_NORM, 2.0)
    model.eval()


def vocabulary_size_of(model):
    return model.embedding.weight.shape[0]


def torch_predict(model, ids):
    """Return PyTorch's class for one phrase, run alone without padding."""
    with torch.no_grad():
        batch, padding = make_batch([ids])
        return int(model(batch, padding).argmax(dim=1))


# Export

def f32_list(array):
    """Return an array's values as nested lists of the shortest decimals
    that read back as the same float32."""
    array = np.asarray(array, dtype=np.float32)
    if array.ndim > 1:
        return [f32_list(row) for row in array]
    return [float(str(value)) for value in array]


def to_numpy(parameter):
    return parameter.detach().numpy()


def export_attention(module):
    """Return the attention layer in document form. PyTorch's in_proj_weight
    is [wqᵀ; wkᵀ; wvᵀ] and out_proj.weight is woᵀ."""
    wq, wk, wv = np.split(to_numpy(module.in_proj_weight), 3)
    bq, bk, bv = np.split(to_numpy(module.in_proj_bias), 3)
    return {"type": "attention", "name": "attention", "heads": HEADS,
            "causal": False, "residual": True,
            "wq": f32_list(wq.T), "bq": f32_list(bq),
            "wk": f32_list(wk.T), "bk": f32_list(bk),
            "wv": f32_list(wv.T), "bv": f32_list(bv),
            "wo": f32_list(to_numpy(module.out_proj.weight).T),
            "bo": f32_list(to_numpy(module.out_proj.bias))}


def export_layers(model):
    """Return the model's layers in document form, x·W matrices [in][out]."""
    return [
        {"type": "embedding", "name": "embedding", "dim": DIM,
         "table": f32_list(to_numpy(model.embedding.weight))},
        {"type": "positional", "name": "positions", "encoding": "sinusoidal"},
        export_attention(model.attention),
        {"type": "layernorm", "name": "norm", "eps": LAYERNORM_EPS,
         "gamma": f32_list(to_numpy(model.norm.weight)),
         "beta": f32_list(to_numpy(model.norm.bias))},
        {"type": "dense", "name": "dense", "units": HIDDEN_UNITS, "activation": "relu",
         "residual": False, "weights": f32_list(to_numpy(model.dense.weight).T),
         "bias": f32_list(to_numpy(model.dense.bias))},
        {"type": "pool_tokens", "name": "pool", "mode": "mean"},
        {"type": "dense", "name": "output", "units": len(LABELS), "activation": "softmax",
         "weights": f32_list(to_numpy(model.output.weight).T),
         "bias": f32_list(to_numpy(model.output.bias)), "labels": LABELS},
    ]


# Float32 forward pass in numpy, on the document's layers

def matrix(layer, key):
    return np.array(layer[key], dtype=np.float32)


def numpy_softmax_rows(x):
    exponentials = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return exponentials / np.sum(exponentials, axis=-1, keepdims=True)


def numpy_attention(layer, x):
    """Return (x + attention(x) [T][d], weights [heads][T][T])."""
    tokens, d = x.shape
    heads = layer["heads"]
    head_size = d // heads
    query = x @ matrix(layer, "wq") + matrix(layer, "bq")
    key = x @ matrix(layer, "wk") + matrix(layer, "bk")
    value = x @ matrix(layer, "wv") + matrix(layer, "bv")
    scale = np.float32(1.0 / math.sqrt(head_size))

    attention = np.zeros((heads, tokens, tokens), dtype=np.float32)
    context = np.zeros((tokens, d), dtype=np.float32)
    for head in range(heads):
        columns = slice(head * head_size, (head + 1) * head_size)
        attention[head] = numpy_softmax_rows((query[:, columns] @ key[:, columns].T) * scale)
        context[:, columns] = attention[head] @ value[:, columns]

    output = context @ matrix(layer, "wo") + matrix(layer, "bo")
    return x + output, attention


def numpy_layernorm(layer, x):
    mean = np.mean(x, axis=-1, keepdims=True)
    variance = np.mean((x - mean) ** 2, axis=-1, keepdims=True)
    normalised = (x - mean) / np.sqrt(variance + np.float32(layer["eps"]))
    return normalised * matrix(layer, "gamma") + matrix(layer, "beta")


def numpy_forward(layers, ids):
    """Return (logits [2], attention weights [heads][T][T]) of one phrase's
    token ids. The softmax of the last layer is left out."""
    x = matrix(layers[0], "table")[ids]
    attention = None
    for layer in layers[1:]:
        kind = layer["type"]
        if kind == "positional":
            x = x + sinusoidal_table(len(ids), x.shape[1])
        elif kind == "attention":
            x, attention = numpy_attention(layer, x)
        elif kind == "layernorm":
            x = numpy_layernorm(layer, x)
        elif kind == "dense":
            x = x @ matrix(layer, "weights") + matrix(layer, "bias")
            if layer["activation"] == "relu":
                x = np.maximum(x, np.float32(0))
        elif kind == "pool_tokens":
            x = np.mean(x, axis=0)
        else:
            raise ValueError(f"layer type {kind!r} is not supported here")
    return x, attention


# Checks

def evaluate(layers, model, vocabulary, test):
    """Return how many test phrases the document's weights classify
    correctly, after checking them against PyTorch."""
    correct = 0
    smallest_gap = math.inf
    for text, label in test:
        ids = token_ids(text, vocabulary)
        logits, _ = numpy_forward(layers, ids)
        predicted = int(np.argmax(logits))
        if predicted != torch_predict(model, ids):
            sys.exit(f"numpy and PyTorch predict different classes for {text!r}: "
                     "change TORCH_SEED or the training settings")
        gap = abs(float(logits[1] - logits[0])) / max(1.0, float(np.max(np.abs(logits))))
        if gap < NEAR_TIE_MARGIN:
            sys.exit(f"the two logits of {text!r} lie within {gap:.2g} of each other: "
                     "change TORCH_SEED or the training settings")
        smallest_gap = min(smallest_gap, gap)
        correct += predicted == label
    print(f"  smallest relative gap between the two logits: {smallest_gap:.3g}",
          file=sys.stderr)
    return correct


def print_attention(text, tokens, attention):
    print(f"  attention in {text!r}:", file=sys.stderr)
    width = max(len(token) for token in tokens) + 1
    header = "".join(f"{token:>{width}}" for token in tokens)
    for head in range(attention.shape[0]):
        print(f"    head {head + 1}  {'':>{width}}{header}", file=sys.stderr)
        for row, token in enumerate(tokens):
            cells = "".join(f"{weight:>{width}.2f}" for weight in attention[head, row])
            print(f"            {token:>{width}}{cells}", file=sys.stderr)


def check_attention(layers, vocabulary):
    """Print the attention of each ATTENTION_CHECKS phrase and fail unless
    some head makes its sentiment word, or most of its tokens, look at its
    negator. For INPUT_TEXT, return the head (counting from 1) in which
    its sentiment word looks at the negator most, that weight, and how
    many of its tokens put more than ATTENTION_THRESHOLD on the negator in
    that head."""
    strongest = {}
    for text, word, negator in ATTENTION_CHECKS:
        tokens = tokenize(text)
        _, attention = numpy_forward(layers, token_ids(text, vocabulary))
        print_attention(text, tokens, attention)
        on_negator = attention[:, :, tokens.index(negator)]  # [heads][T]
        from_word = on_negator[:, tokens.index(word)]
        looking = (on_negator > ATTENTION_THRESHOLD).sum(axis=1)
        for head in range(len(on_negator)):
            print(f"    head {head + 1}: {word!r} puts {from_word[head]:.2f} on {negator!r}; "
                  f"{looking[head]} of {len(tokens)} tokens put more than "
                  f"{ATTENTION_THRESHOLD}", file=sys.stderr)
        if not np.any((from_word > ATTENTION_THRESHOLD) | (2 * looking > len(tokens))):
            sys.exit(f"in {text!r} no head makes {word!r} or most tokens put more than "
                     f"{ATTENTION_THRESHOLD} of their attention on {negator!r}: "
                     "change the training settings")
        head = int(np.argmax(from_word))
        strongest[text] = (head + 1, float(from_word[head]), int(looking[head]))
    return strongest[INPUT_TEXT]


# Documents

def to_json(value, indent=0):
    """Format like json.dumps(indent=2), with each list of numbers on one
    line, so that a matrix reads one row per line, and long lists of
    strings wrapped at about 100 columns."""
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}: {to_json(v, indent + 2)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, list) and value and isinstance(value[0], (dict, list)):
        items = [pad + to_json(item, indent + 2) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    if isinstance(value, list):
        line = "[" + ", ".join(compact_number(item) for item in value) + "]"
        if len(line) + indent <= 100 or not isinstance(value[0], str):
            return line
        return wrap_list(value, indent)
    return compact_number(value)


def wrap_list(values, indent):
    """Write a list of strings a row at a time, each row within 100 columns."""
    pad = " " * (indent + 2)
    rows, row = [], []
    for item in values:
        text = compact_number(item)
        if row and len(pad) + len(", ".join(row + [text])) > 100:
            rows.append(row)
            row = []
        row.append(text)
    rows.append(row)
    return "[\n" + ",\n".join(pad + ", ".join(r) for r in rows) + "\n" + " " * indent + "]"


def compact_number(value):
    """Write a whole float such as 1.0 as 1, and other values as JSON does."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return json.dumps(value, ensure_ascii=False)


def describe(correct, samples, attention):
    """Return the document's description in plain words. attention is what
    check_attention() returns."""
    percent = 100.0 * correct / samples
    head, weight, looking = attention
    tokens = len(tokenize(INPUT_TEXT))
    return (
        "Reads a short phrase about a film and classifies it as positive or negative. "
        f"Each token becomes a vector of {DIM} numbers, sinusoidal position codes are added, "
        f"and one self-attention layer with {HEADS} heads lets every token take in the others. "
        f"After a layer norm, a dense ReLU layer of {HIDDEN_UNITS} units works on each token, "
        "the tokens are averaged, and a softmax layer gives the two probabilities. "
        "Because the tokens are averaged, \"not good\" can only differ from \"good\" if "
        "some token takes in both words, and the attention does that: in this input, "
        f"\"good\" gives {weight:.2f} of its attention weight in head {head} to \"not\", and in "
        f"that head {looking} of the {tokens} tokens give \"not\" more than "
        f"{ATTENTION_THRESHOLD} of theirs. "
        f"Data: {TRAIN_PHRASES + TEST_PHRASES} distinct short phrases (1 to 10 tokens) made from "
        "templates by a seeded generator, where \"not\", \"never\" or \"no\" before the "
        "sentiment word reverses it and some phrases start with a negator that negates nothing "
        f"(\"not gonna lie, ...\"). {TRAIN_PHRASES} of them are for training and {TEST_PHRASES} "
        "for testing, and the test phrases are in data/datasets/sentiment-test.tsv. "
        f"It classifies {correct} of the {samples} test phrases correctly ({percent:.1f} %). "
        f"It was trained with Adam for {EPOCHS} epochs by tools/train-sentiment.py, which also "
        "measured these numbers.")


def build_document(layers, vocabulary, correct, samples, attention):
    document = {
        "format": "layerscope-network",
        # Token inputs and transformer layers need version 3.
        "version": 3,
        "title": "Sentiment with attention",
        "description": describe(correct, samples, attention),
        "input": {"kind": "tokens", "text": INPUT_TEXT, "vocabulary": vocabulary,
                  "max_tokens": MAX_TOKENS},
        "layers": layers,
        "dataset": {"name": "sentiment", "split": "test", "samples": samples,
                    "correct": correct},
    }
    return to_json(document) + "\n"


def write_test_split(test):
    lines = ["# Test phrases written by tools/train-sentiment.py. "
             "Columns: label (negative or positive), tab, text."]
    lines += [f"{LABELS[label]}\t{text}" for text, label in test]
    with open(TEST_TSV, "w", encoding="utf-8") as output:
        output.write("\n".join(lines) + "\n")


def main():
    started = time.monotonic()
    torch.manual_seed(TORCH_SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(THREADS)
    generator = torch.Generator().manual_seed(TORCH_SEED)

    train_split, test_split = make_corpus()
    vocabulary = make_vocabulary(train_split)
    assert len(tokenize(INPUT_TEXT)) <= MAX_TOKENS
    print(f"{len(train_split)} training and {len(test_split)} test phrases, "
          f"{len(vocabulary)} words", file=sys.stderr)

    model = SentimentModel(len(vocabulary))
    train(model, [token_ids(text, vocabulary) for text, _ in train_split],
          [label for _, label in train_split], generator)

    # Evaluate the weights as they read back from the document's text.
    layers = json.loads(to_json(export_layers(model)))
    correct = evaluate(layers, model, vocabulary, test_split)
    attention = check_attention(layers, vocabulary)

    text = build_document(layers, vocabulary, correct, len(test_split), attention)
    assert json.loads(text)["layers"] == layers
    with open(DOCUMENT, "w", encoding="utf-8") as output:
        output.write(text)
    write_test_split(test_split)
    print(f"{correct}/{len(test_split)} test phrases correct "
          f"({100.0 * correct / len(test_split):.1f} %); "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
