#!/usr/bin/python3
"""Writes the embedding models the tests and benchmarks use, since no model hub is reachable here.

  tiny   a functional BERT-style model: one Gather over a token-embedding table, masked by the
         attention mask. Mean-pooled, it behaves like a static bag-of-words embedder, which is
         enough to test loading, batching, pooling and storage for real.
  minilm a model with the exact shape of all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads,
         intermediate 1536, vocab 30522) and random weights: it costs what the real model costs,
         so benchmark numbers are honest, but its vectors mean nothing. Written twice, as the
         model hubs publish it: fp32 (onnx/model.onnx) and int8 (onnx/model_quantized.onnx, the
         weights of every MatMul quantized per output column, activations quantized at run time),
         which is what the app loads when a folder has it.

Both folders follow the layout transformers.js loads: config.json, tokenizer.json,
tokenizer_config.json and onnx/model.onnx. Run with Debian's /usr/bin/python3 (python3-onnx,
python3-numpy). Output is deterministic (fixed seeds), so checksums are stable between runs.

usage: generate-models.py OUT_DIRECTORY [tiny|minilm ...]
"""
import json
import math
import os
import sys

import numpy
import onnx
from onnx import TensorProto, helper, numpy_helper

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

# Common English words plus the vocabulary of a support knowledge base; anything else falls back
# to word pieces, then single characters, as WordPiece does.
COMMON_WORDS = """
the of and to a in is it you that he was for on are with as i his they be at one have this from
or had by hot word but what some we can out other were all there when up use your how said an
each she which do their time if will way about many then them write would like so these her long
make thing see him two has look more day could go come did number sound no most people my over
know water than call first who may down side been now find any new work part take get place made
live where after back little only round man year came show every good me give our under name very
through just form sentence great think say help low line differ turn cause much mean before move
right boy old too same tell does set three want air well also play small end put home read hand
port large spell add even land here must big high such follow act why ask men change went light
kind off need house picture try us again animal point mother world near build self earth father
head stand own page should country found answer school grow study still learn plant cover food
sun four between state keep eye never last let thought city tree cross farm hard start might story
saw far sea draw left late run don't while press close night real life few north open seem together
next white children begin got walk example ease paper group always music those both mark often
letter until mile river car feet care second book carry took science eat room friend began idea
fish mountain stop once base hear horse cut sure watch color face wood main enough plain girl
usual young ready above ever red list though feel talk bird soon body dog family direct pose leave
song measure door product black short numeral class wind question happen complete ship area half
rock order fire south problem piece told knew pass since top whole king space heard best hour
better true during hundred five remember step early hold west ground interest reach fast verb sing
listen six table travel less morning ten simple several vowel toward war lay against pattern slow
center love person money serve appear road map rain rule govern pull cold notice voice unit power
town fine certain fly fall lead cry dark machine note wait plan figure star box noun field rest
correct able pound done beauty drive stood contain front teach week final gave green oh quick
develop ocean warm free minute strong special mind behind clear tail produce fact street inch
multiply nothing course stay wheel full force blue object decide surface deep moon island foot
system busy test record boat common gold possible plane stead dry wonder laugh thousand ago ran
check game shape equate miss brought heat snow tire bring yes distant fill east paint language
among order orders ordered shipping ship shipped delivery deliver delivered return returns returned
refund refunds refunded exchange warranty guarantee price prices cost costs pay payment payments
card credit cash invoice receipt account password email phone contact support help customer
customers service store stores shop online website address hours open closed monday tuesday
wednesday thursday friday saturday sunday holiday days weeks business policy policies privacy
data cookie cookies personal information terms conditions item items stock available size sizes
color colors colour bag bags watch watches bottle water yoga video training gear fitness
equipment duffle backpack strap shoulder zipper pocket pockets material leather nylon cotton
polyester steel plastic rubber battery charge charger cable wireless free international
domestic tracking track package parcel courier express standard days business cancel
cancellation subscription discount coupon code sale offer new used damaged broken wrong missing
lost late quality size fit small medium large extra
""".split()

SUFFIXES = ["s", "es", "ed", "ing", "er", "ers", "ly", "ion", "ions", "able", "ment", "ness", "al", "y"]


def wordpiece_vocabulary(target_size):
    tokens = list(SPECIAL_TOKENS)
    characters = [chr(code) for code in range(33, 127)] + list("äöüßéèêáàçñõãíóúâôîûëïœæøå€£¥")
    tokens += characters
    tokens += ["##" + character for character in characters if character.isalnum()]
    tokens += ["##" + suffix for suffix in SUFFIXES]
    seen = set(tokens)
    for word in COMMON_WORDS:
        word = word.lower()
        if word not in seen:
            seen.add(word)
            tokens.append(word)
    filler = 0
    while len(tokens) < target_size:
        tokens.append(f"[unused{filler}]")
        filler += 1
    return {token: index for index, token in enumerate(tokens)}


def write_tokenizer(folder, vocabulary, max_length):
    special = [
        {"id": vocabulary[token], "content": token, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
        for token in SPECIAL_TOKENS
    ]
    cls_id, sep_id = vocabulary["[CLS]"], vocabulary["[SEP]"]
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": special,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [
                {"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}},
            ],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [cls_id], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [sep_id], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": vocabulary},
    }
    with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as handle:
        json.dump(tokenizer, handle, ensure_ascii=False)
    tokenizer_config = {
        "tokenizer_class": "BertTokenizer", "do_lower_case": True, "model_max_length": max_length,
        "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]", "mask_token": "[MASK]",
    }
    with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as handle:
        json.dump(tokenizer_config, handle)


def write_config(folder, hidden, layers, heads, intermediate, vocabulary_size, name):
    config = {
        "_name_or_path": name, "model_type": "bert", "architectures": ["BertModel"], "hidden_size": hidden,
        "num_hidden_layers": layers, "num_attention_heads": heads, "intermediate_size": intermediate,
        "vocab_size": vocabulary_size, "max_position_embeddings": 512, "type_vocab_size": 2, "pad_token_id": 0,
    }
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as handle:
        json.dump(config, handle)


def graph_inputs():
    return [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]


def save(folder, nodes, initializers, hidden):
    output = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", hidden])
    graph = helper.make_graph(nodes, "encoder", graph_inputs(), [output], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="ares-generate-models")
    model.ir_version = 8
    onnx.checker.check_model(model)
    os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
    onnx.save(model, os.path.join(folder, "onnx", "model.onnx"))


def save_quantized(folder):
    """onnx/model_quantized.onnx: each MatMul with constant weights becomes int8 weights (one scale
    per output column) times uint8 activations quantized at run time (DynamicQuantizeLinear), the
    pattern onnxruntime fuses into its int8 kernels. Embedding tables stay fp32."""
    model = onnx.load(os.path.join(folder, "onnx", "model.onnx"))
    graph = model.graph
    weights = {initializer.name: initializer for initializer in graph.initializer}
    nodes, quantized_initializers, replaced = [], [], set()
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in weights:
            nodes.append(node)
            continue
        activation, name = node.input
        matrix = numpy_helper.to_array(weights[name])
        scale = (numpy.maximum(numpy.abs(matrix).max(axis=0), 1e-12) / 127.0).astype(numpy.float32)
        quantized_initializers += [
            numpy_helper.from_array(numpy.clip(numpy.round(matrix / scale), -127, 127).astype(numpy.int8), name + "_int8"),
            numpy_helper.from_array(scale, name + "_scale"),
            numpy_helper.from_array(numpy.zeros(matrix.shape[1], dtype=numpy.int8), name + "_zero_point"),
        ]
        replaced.add(name)
        out = node.output[0]
        nodes += [
            helper.make_node("DynamicQuantizeLinear", [activation], [out + "_a8", out + "_a_scale", out + "_a_zero_point"]),
            helper.make_node("MatMulInteger", [out + "_a8", name + "_int8", out + "_a_zero_point", name + "_zero_point"], [out + "_int32"]),
            helper.make_node("Cast", [out + "_int32"], [out + "_unscaled"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [out + "_a_scale", name + "_scale"], [out + "_scale"]),
            helper.make_node("Mul", [out + "_unscaled", out + "_scale"], [out]),
        ]
    kept = [initializer for initializer in graph.initializer if initializer.name not in replaced]
    del graph.initializer[:]
    graph.initializer.extend(kept + quantized_initializers)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(folder, "onnx", "model_quantized.onnx"))


def mask_nodes():
    """The attention mask as float [batch, sequence, 1], for zeroing padded positions."""
    return [
        helper.make_node("Cast", ["attention_mask"], ["mask_float"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_float", "axis_last"], ["mask_column"]),
    ]


def generate_tiny(folder):
    random = numpy.random.default_rng(7)
    vocabulary = wordpiece_vocabulary(2048)
    hidden = 64
    table = random.standard_normal((len(vocabulary), hidden)).astype(numpy.float32)
    # Special tokens carry no meaning; zero vectors keep them from dominating short texts.
    for token in SPECIAL_TOKENS:
        table[vocabulary[token]] = 0
    type_table = numpy.zeros((2, hidden), dtype=numpy.float32)
    initializers = [
        numpy_helper.from_array(table, "word_embeddings"),
        numpy_helper.from_array(type_table, "token_type_embeddings"),
        numpy_helper.from_array(numpy.array([-1], dtype=numpy.int64), "axis_last"),
    ]
    nodes = [
        helper.make_node("Gather", ["word_embeddings", "input_ids"], ["words"]),
        helper.make_node("Gather", ["token_type_embeddings", "token_type_ids"], ["types"]),
        helper.make_node("Add", ["words", "types"], ["summed"]),
        *mask_nodes(),
        helper.make_node("Mul", ["summed", "mask_column"], ["last_hidden_state"]),
    ]
    write_config(folder, hidden, 0, 1, hidden, len(vocabulary), "ares-test/tiny-bert")
    write_tokenizer(folder, vocabulary, 512)
    save(folder, nodes, initializers, hidden)


def generate_minilm(folder):
    random = numpy.random.default_rng(11)
    hidden, layers, heads, intermediate, vocabulary_size = 384, 6, 12, 1536, 30522
    head_size = hidden // heads
    vocabulary = wordpiece_vocabulary(vocabulary_size)

    def weights(name, shape, scale=0.02):
        return numpy_helper.from_array((random.standard_normal(shape) * scale).astype(numpy.float32), name)

    def constant(name, value, dtype=numpy.float32):
        return numpy_helper.from_array(numpy.array(value, dtype=dtype), name)

    initializers = [
        weights("word_embeddings", (vocabulary_size, hidden)),
        weights("position_embeddings", (512, hidden)),
        weights("token_type_embeddings", (2, hidden)),
        constant("ones", numpy.ones(hidden)), constant("zeros", numpy.zeros(hidden)),
        constant("one", 1.0), constant("negative_large", -10000.0), constant("scale", 1 / math.sqrt(head_size)),
        constant("half", 0.5), constant("inverse_sqrt2", 1 / math.sqrt(2)),
        constant("mask_axes", [1, 2], numpy.int64),
        constant("index_one", 1, numpy.int64), constant("start_zero", 0, numpy.int64), constant("step_one", 1, numpy.int64),
        constant("heads_shape", [0, 0, heads, head_size], numpy.int64), constant("hidden_shape", [0, 0, hidden], numpy.int64),
    ]
    nodes = [
        helper.make_node("Gather", ["word_embeddings", "input_ids"], ["words"]),
        helper.make_node("Shape", ["input_ids"], ["input_shape"]),
        helper.make_node("Gather", ["input_shape", "index_one"], ["sequence_length"]),
        helper.make_node("Range", ["start_zero", "sequence_length", "step_one"], ["positions"]),
        helper.make_node("Gather", ["position_embeddings", "positions"], ["position_vectors"]),
        helper.make_node("Gather", ["token_type_embeddings", "token_type_ids"], ["types"]),
        helper.make_node("Add", ["words", "position_vectors"], ["embedded_partial"]),
        helper.make_node("Add", ["embedded_partial", "types"], ["embedded"]),
        helper.make_node("LayerNormalization", ["embedded", "ones", "zeros"], ["layer0_input"], axis=-1, epsilon=1e-12),
        helper.make_node("Cast", ["attention_mask"], ["mask_float"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_float", "mask_axes"], ["mask_extended"]),
        helper.make_node("Sub", ["one", "mask_extended"], ["mask_inverted"]),
        helper.make_node("Mul", ["mask_inverted", "negative_large"], ["mask_bias"]),
    ]
    current = "layer0_input"
    for layer in range(layers):
        p = f"l{layer}_"
        for part in ("query", "key", "value", "attention_output"):
            initializers += [weights(p + part + "_w", (hidden, hidden)), weights(p + part + "_b", (hidden,))]
        initializers += [
            weights(p + "intermediate_w", (hidden, intermediate)), weights(p + "intermediate_b", (intermediate,)),
            weights(p + "output_w", (intermediate, hidden)), weights(p + "output_b", (hidden,)),
        ]
        for part in ("query", "key", "value"):
            nodes += [
                helper.make_node("MatMul", [current, p + part + "_w"], [p + part + "_mm"]),
                helper.make_node("Add", [p + part + "_mm", p + part + "_b"], [p + part + "_dense"]),
                helper.make_node("Reshape", [p + part + "_dense", "heads_shape"], [p + part + "_heads"]),
            ]
        nodes += [
            helper.make_node("Transpose", [p + "query_heads"], [p + "q"], perm=[0, 2, 1, 3]),
            helper.make_node("Transpose", [p + "key_heads"], [p + "k"], perm=[0, 2, 3, 1]),
            helper.make_node("Transpose", [p + "value_heads"], [p + "v"], perm=[0, 2, 1, 3]),
            helper.make_node("MatMul", [p + "q", p + "k"], [p + "scores_raw"]),
            helper.make_node("Mul", [p + "scores_raw", "scale"], [p + "scores_scaled"]),
            helper.make_node("Add", [p + "scores_scaled", "mask_bias"], [p + "scores"]),
            helper.make_node("Softmax", [p + "scores"], [p + "probabilities"], axis=-1),
            helper.make_node("MatMul", [p + "probabilities", p + "v"], [p + "context_heads"]),
            helper.make_node("Transpose", [p + "context_heads"], [p + "context_transposed"], perm=[0, 2, 1, 3]),
            helper.make_node("Reshape", [p + "context_transposed", "hidden_shape"], [p + "context"]),
            helper.make_node("MatMul", [p + "context", p + "attention_output_w"], [p + "attention_mm"]),
            helper.make_node("Add", [p + "attention_mm", p + "attention_output_b"], [p + "attention_dense"]),
            helper.make_node("Add", [p + "attention_dense", current], [p + "attention_residual"]),
            helper.make_node("LayerNormalization", [p + "attention_residual", "ones", "zeros"], [p + "attention_normalized"], axis=-1, epsilon=1e-12),
            helper.make_node("MatMul", [p + "attention_normalized", p + "intermediate_w"], [p + "intermediate_mm"]),
            helper.make_node("Add", [p + "intermediate_mm", p + "intermediate_b"], [p + "intermediate"]),
            helper.make_node("Mul", [p + "intermediate", "inverse_sqrt2"], [p + "gelu_scaled"]),
            helper.make_node("Erf", [p + "gelu_scaled"], [p + "gelu_erf"]),
            helper.make_node("Add", [p + "gelu_erf", "one"], [p + "gelu_shifted"]),
            helper.make_node("Mul", [p + "intermediate", p + "gelu_shifted"], [p + "gelu_product"]),
            helper.make_node("Mul", [p + "gelu_product", "half"], [p + "gelu"]),
            helper.make_node("MatMul", [p + "gelu", p + "output_w"], [p + "output_mm"]),
            helper.make_node("Add", [p + "output_mm", p + "output_b"], [p + "output_dense"]),
            helper.make_node("Add", [p + "output_dense", p + "attention_normalized"], [p + "output_residual"]),
        ]
        following = "last_hidden_state" if layer == layers - 1 else f"l{layer + 1}_input"
        nodes.append(helper.make_node("LayerNormalization", [p + "output_residual", "ones", "zeros"], [following], axis=-1, epsilon=1e-12))
        current = following
    write_config(folder, hidden, layers, heads, intermediate, vocabulary_size, "ares-bench/minilm-shaped-random")
    write_tokenizer(folder, vocabulary, 512)
    save(folder, nodes, initializers, hidden)
    save_quantized(folder)


GENERATORS = {"tiny": ("ares-test/tiny-bert", generate_tiny), "minilm": ("ares-bench/minilm-shaped-random", generate_minilm)}


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    root = sys.argv[1]
    for kind in sys.argv[2:] or ["tiny", "minilm"]:
        model_id, generate = GENERATORS[kind]
        folder = os.path.join(root, *model_id.split("/"))
        os.makedirs(folder, exist_ok=True)
        generate(folder)
        print(f"generated {model_id} in {folder}")


if __name__ == "__main__":
    main()
