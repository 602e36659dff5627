"""Realistic wrong implementations of assignment 9's graded functions (see corpus/__init__.py)."""
from . import Entry

ENTRIES = [
    # ------------------------------------------------------------------ lstm_cell_forward
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_forget_input_swapped",
          bug="the gates are stacked forget-first (f, i, g, o) but split as i, f, g, o: the input and forget "
              "gates are swapped, c_next = i * c_prev + f * g",
          names=r"swap|forget gate|input gate|\bi and f\b|\bf and i\b|order of the gates|gate order",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    n_h = h_prev.shape[0]
    # stack the four gates so that one matrix product does them all
    U = np.vstack([params["Uf"], params["Ui"], params["Ug"], params["Uo"]])
    W = np.vstack([params["Wf"], params["Wi"], params["Wg"], params["Wo"]])
    b = np.vstack([params["bf"], params["bi"], params["bg"], params["bo"]])
    a = U @ x_t + W @ h_prev + b
    i = sigmoid(a[:n_h])
    f = sigmoid(a[n_h:2 * n_h])
    g = np.tanh(a[2 * n_h:3 * n_h])
    o = sigmoid(a[3 * n_h:])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_output_candidate_swapped",
          bug="the gates are stacked in the order i, f, g, o but split as i, f, o, g (another course's order): "
              "the output gate gets the candidate's parameters and the candidate the output gate's",
          names=r"swap|output gate|candidate|order of the gates|gate order|\bo and g\b|\bg and o\b",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    U = np.concatenate([params["U" + k] for k in "ifgo"], axis=0)   # (4 n_h, n_x)
    W = np.concatenate([params["W" + k] for k in "ifgo"], axis=0)   # (4 n_h, n_h)
    b = np.concatenate([params["b" + k] for k in "ifgo"], axis=0)   # (4 n_h, 1)
    a = np.dot(U, x_t) + np.dot(W, h_prev) + b
    ai, af, ao, ag = np.split(a, 4, axis=0)
    i, f, o = sigmoid(ai), sigmoid(af), sigmoid(ao)
    g = np.tanh(ag)
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_tanh_output_gate",
          bug="the output gate uses tanh instead of the sigmoid",
          names=r"output gate.{0,40}(sigmoid|tanh)|(sigmoid|tanh).{0,40}output gate|activation|nonlinearit|"
                r"\(0, ?1\)",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    def pre(k):
        return params["U" + k] @ x_t + params["W" + k] @ h_prev + params["b" + k]

    i = sigmoid(pre("i"))
    f = sigmoid(pre("f"))
    g = np.tanh(pre("g"))
    o = np.tanh(pre("o"))    # the output is in (-1, 1) like h
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_sigmoid_candidate",
          bug="the candidate g uses the sigmoid instead of tanh (all four 'gates' squashed alike)",
          names=r"candidate.{0,40}(tanh|sigmoid)|(tanh|sigmoid).{0,40}candidate|activation|nonlinearit|\(-1, ?1\)",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    gates = {}
    for k in ["i", "f", "g", "o"]:
        z = np.dot(params["U" + k], x_t) + np.dot(params["W" + k], h_prev) + params["b" + k]
        gates[k] = sigmoid(z)
    i, f, g, o = gates["i"], gates["f"], gates["g"], gates["o"]
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_h_without_tanh",
          bug="h_next = o * c_next: the cell state is read out without its tanh",
          names=r"tanh ?\(c|tanh of (the )?c|o ?\* ?c_next|o ?\* ?c\b|squash|without (the |its |a )?tanh",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    p = params
    i = sigmoid(p["Ui"] @ x_t + p["Wi"] @ h_prev + p["bi"])
    f = sigmoid(p["Uf"] @ x_t + p["Wf"] @ h_prev + p["bf"])
    g = np.tanh(p["Ug"] @ x_t + p["Wg"] @ h_prev + p["bg"])
    o = sigmoid(p["Uo"] @ x_t + p["Wo"] @ h_prev + p["bo"])
    c_next = f * c_prev + i * g
    h_next = o * c_next
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": p}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_no_candidate_in_c",
          bug="c_next = f * c_prev + i: the input gate is added without multiplying the candidate g",
          names=r"candidate|i ?\* ?g",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    i = sigmoid(params["Ui"] @ x_t + params["Wi"] @ h_prev + params["bi"])
    f = sigmoid(params["Uf"] @ x_t + params["Wf"] @ h_prev + params["bf"])
    o = sigmoid(params["Uo"] @ x_t + params["Wo"] @ h_prev + params["bo"])
    g = np.tanh(params["Ug"] @ x_t + params["Wg"] @ h_prev + params["bg"])
    # keep part of the old memory, write the new part
    c_next = f * c_prev + i
    h_next = o * np.tanh(c_next)
    cache = dict(x_t=x_t, h_prev=h_prev, c_prev=c_prev, i=i, f=f, g=g, o=o,
                 c_next=c_next, h_next=h_next, params=params)
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_forget_scales_candidate",
          bug="c_next = f * (c_prev + i * g): the forget gate is applied to the written candidate as well",
          names=r"forget gate|f ?\* ?c_prev|only c_prev|forget.*candidate|candidate.*forget",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    a = {}
    for gate in "ifgo":
        a[gate] = params["U" + gate] @ x_t + params["W" + gate] @ h_prev + params["b" + gate]
    i, f, o = sigmoid(a["i"]), sigmoid(a["f"]), sigmoid(a["o"])
    g = np.tanh(a["g"])
    c_next = f * (c_prev + i * g)
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_no_bias",
          bug="the biases bi, bf, bg, bo are left out of the pre-activations",
          names=r"bias",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    def affine(k):
        return np.dot(params["U" + k], x_t) + np.dot(params["W" + k], h_prev)

    i = sigmoid(affine("i"))
    f = sigmoid(affine("f"))
    g = np.tanh(affine("g"))
    o = sigmoid(affine("o"))
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_recurrent_weights_transposed",
          bug="the recurrent weights are used transposed, W_k.T @ h_prev (W is square, so it runs)",
          names=r"transpos|W_?k?\^T|row j|rows? of W",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    # W[j, k]: weight from unit j of h_prev to unit k
    i = sigmoid(params["Ui"] @ x_t + params["Wi"].T @ h_prev + params["bi"])
    f = sigmoid(params["Uf"] @ x_t + params["Wf"].T @ h_prev + params["bf"])
    g = np.tanh(params["Ug"] @ x_t + params["Wg"].T @ h_prev + params["bg"])
    o = sigmoid(params["Uo"] @ x_t + params["Wo"].T @ h_prev + params["bo"])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_cache_missing_keys",
          bug="the cache leaves out h_next and params (the student thought the backward pass does not need them)",
          names=r"cache|key",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    i = sigmoid(params["Ui"] @ x_t + params["Wi"] @ h_prev + params["bi"])
    f = sigmoid(params["Uf"] @ x_t + params["Wf"] @ h_prev + params["bf"])
    g = np.tanh(params["Ug"] @ x_t + params["Wg"] @ h_prev + params["bg"])
    o = sigmoid(params["Uo"] @ x_t + params["Wo"] @ h_prev + params["bo"])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    # only what the gradients need
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o, "c_next": c_next}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_cache_holds_tanh_c",
          bug="the cache stores tanh(c_next) under the key c_next (to save recomputing it in the backward pass)",
          names=r"cache",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    n_h = h_prev.shape[0]
    U = np.vstack([params["U" + k] for k in "ifgo"])
    W = np.vstack([params["W" + k] for k in "ifgo"])
    b = np.vstack([params["b" + k] for k in "ifgo"])
    z = U @ x_t + W @ h_prev + b
    i = sigmoid(z[0:n_h])
    f = sigmoid(z[n_h:2 * n_h])
    g = np.tanh(z[2 * n_h:3 * n_h])
    o = sigmoid(z[3 * n_h:4 * n_h])
    c_next = f * c_prev + i * g
    tanh_c = np.tanh(c_next)
    h_next = o * tanh_c
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": tanh_c, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_squeezed_inputs",
          bug="x_t and h_prev are squeezed 'to be safe': with a batch of one (m = 1) or n_x = 1 the arrays "
              "lose an axis and the gates broadcast to the wrong shape or the product fails",
          names=r"squeez|singleton|batch of one|size.one (axis|dimension)|1-?d\b|"
                r"(lost|loses|drops?|dropped|collaps\w*) (an?|the|its) (axis|axes|dimension)",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    x = np.squeeze(x_t)
    h = np.squeeze(h_prev)
    i = sigmoid(np.dot(params["Ui"], x) + np.dot(params["Wi"], h) + params["bi"])
    f = sigmoid(np.dot(params["Uf"], x) + np.dot(params["Wf"], h) + params["bf"])
    g = np.tanh(np.dot(params["Ug"], x) + np.dot(params["Wg"], h) + params["bg"])
    o = sigmoid(np.dot(params["Uo"], x) + np.dot(params["Wo"], h) + params["bo"])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_no_bias_and_h_without_tanh",
          bug="two bugs: the biases are left out, and h_next = o * c_next without the tanh",
          names=r"bias|tanh ?\(c|tanh of (the )?c|o ?\* ?c_next|o ?\* ?c\b|squash|without (the |its |a )?tanh",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    U = {k: params["U" + k] for k in "ifgo"}
    W = {k: params["W" + k] for k in "ifgo"}
    i = sigmoid(U["i"] @ x_t + W["i"] @ h_prev)
    f = sigmoid(U["f"] @ x_t + W["f"] @ h_prev)
    g = np.tanh(U["g"] @ x_t + W["g"] @ h_prev)
    o = sigmoid(U["o"] @ x_t + W["o"] @ h_prev)
    c_next = f * c_prev + i * g
    h_next = o * c_next
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
    Entry(function="lstm_cell_forward", name="lstm_cell_fwd_forget_input_swapped_and_cache_preact",
          bug="two bugs: the input and forget gates are swapped (c_next = i * c_prev + f * g), and the cache "
              "holds the gates' pre-activations instead of the gates",
          names=r"swap|forget gate|input gate|\bi and f\b|\bf and i\b|gate order|cache|pre-?activation",
          source='''
def lstm_cell_forward(x_t, h_prev, c_prev, params):
    ai = params["Ui"] @ x_t + params["Wi"] @ h_prev + params["bi"]
    af = params["Uf"] @ x_t + params["Wf"] @ h_prev + params["bf"]
    ag = params["Ug"] @ x_t + params["Wg"] @ h_prev + params["bg"]
    ao = params["Uo"] @ x_t + params["Wo"] @ h_prev + params["bo"]
    i, f, g, o = sigmoid(ai), sigmoid(af), np.tanh(ag), sigmoid(ao)
    c_next = i * c_prev + f * g
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": ai, "f": af, "g": ag, "o": ao,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),

    # ------------------------------------------------------------------ lstm_forward
    Entry(function="lstm_forward", name="lstm_fwd_h_not_carried",
          bug="every step is called with h0 as its previous hidden state: h is not carried from step to step",
          names=r"(hidden state|\bh\b).{0,40}carr|carr.{0,40}(hidden|\bh\b)|h_prev|previous hidden|step to step|"
                r"h ?0 at every",
          source='''
def lstm_forward(x, h0, c0, params):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T))
    c = np.zeros((n_h, m, T))
    cache = {"x": x, "h0": h0, "c0": c0, "params": params}
    for k in "ifgo":
        cache[k] = np.zeros((n_h, m, T))
    c_t = c0
    for t in range(T):
        h_t, c_t, step = lstm_cell_forward(x[:, :, t], h0, c_t, params)
        h[:, :, t] = h_t
        c[:, :, t] = c_t
        for k in "ifgo":
            cache[k][:, :, t] = step[k]
    cache["h"], cache["c"] = h, c
    return h, c, cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_c_not_carried",
          bug="the cell state is not carried: every step starts from c0 (h is carried)",
          names=r"(cell state|\bc\b).{0,40}carr|carr.{0,40}(cell|\bc\b)|c_prev|previous cell|step to step|"
                r"c ?0 at every",
          source='''
def lstm_forward(x, h0, c0, params):
    T = x.shape[2]
    hs, cs, gates = [], [], {k: [] for k in "ifgo"}
    h_prev = h0
    for t in range(T):
        h_prev, c_t, step = lstm_cell_forward(x[:, :, t], h_prev, c0, params)
        hs.append(h_prev)
        cs.append(c_t)
        for k in "ifgo":
            gates[k].append(step[k])
    h = np.stack(hs, axis=2)
    c = np.stack(cs, axis=2)
    cache = {"x": x, "h0": h0, "c0": c0, "h": h, "c": c, "params": params}
    for k in "ifgo":
        cache[k] = np.stack(gates[k], axis=2)
    return h, c, cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_initial_state_ignored",
          bug="h0 and c0 are ignored: the sequence starts from zero states",
          names=r"\bh ?0\b|\bc ?0\b|initial|first step|start(s|ing)? from",
          source='''
def lstm_forward(x, h0, c0, params):
    n_x, m, T = x.shape
    n_h = params["Wi"].shape[0]
    h = np.zeros((n_h, m, T))
    c = np.zeros((n_h, m, T))
    gates = {k: np.zeros((n_h, m, T)) for k in "ifgo"}
    h_t = np.zeros((n_h, m))      # start from an empty memory
    c_t = np.zeros((n_h, m))
    for t in range(T):
        h_t, c_t, step_cache = lstm_cell_forward(x[:, :, t], h_t, c_t, params)
        h[:, :, t] = h_t
        c[:, :, t] = c_t
        for k in gates:
            gates[k][:, :, t] = step_cache[k]
    cache = {"x": x, "h0": h0, "c0": c0, "h": h, "c": c, "params": params, **gates}
    return h, c, cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_stores_state_before_step",
          bug="off by one in time: h[:, :, t] and c[:, :, t] store the states before reading x[:, :, t] "
              "(h0, c0 at t = 0), not after",
          names=r"off.by.one|shift|one step (late|early|behind|ahead)|before reading|before the step|"
                r"after reading|after each step|x\[:, ?:, ?t\]",
          source='''
def lstm_forward(x, h0, c0, params):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h, c = np.zeros((n_h, m, T)), np.zeros((n_h, m, T))
    i, f, g, o = (np.zeros((n_h, m, T)) for _ in range(4))
    h_t, c_t = h0, c0
    for t in range(T):
        h[:, :, t] = h_t
        c[:, :, t] = c_t
        h_t, c_t, cc = lstm_cell_forward(x[:, :, t], h_t, c_t, params)
        i[:, :, t], f[:, :, t], g[:, :, t], o[:, :, t] = cc["i"], cc["f"], cc["g"], cc["o"]
    cache = {"x": x, "h0": h0, "c0": c0, "i": i, "f": f, "g": g, "o": o, "c": c, "h": h, "params": params}
    return h, c, cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_last_step_skipped",
          bug="the loop runs over range(T - 1): the last step is never computed (stays zero)",
          names=r"last step|final step|range\(T ?- ?1\)|skip\w*|missing step|never computed|off.by.one|(stays|"
                r"left|are) zero",
          source='''
def lstm_forward(x, h0, c0, params):
    n_h, m = h0.shape
    T = x.shape[2]
    h = np.zeros((n_h, m, T))
    c = np.zeros((n_h, m, T))
    cache = {k: np.zeros((n_h, m, T)) for k in "ifgo"}
    h_prev, c_prev = h0, c0
    for t in range(T - 1):
        h_prev, c_prev, step = lstm_cell_forward(x[:, :, t], h_prev, c_prev, params)
        h[:, :, t], c[:, :, t] = h_prev, c_prev
        for k in "ifgo":
            cache[k][:, :, t] = step[k]
    cache.update(x=x, h0=h0, c0=c0, h=h, c=c, params=params)
    return h, c, cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_cache_gates_last_step_only",
          bug="the cache holds only the last step's gates, (n_h, m), instead of the gates of every step stacked "
              "into (n_h, m, T)",
          names=r"cache|stack",
          source='''
def lstm_forward(x, h0, c0, params):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T))
    c = np.zeros((n_h, m, T))
    h_t, c_t = h0, c0
    for t in range(T):
        h_t, c_t, step = lstm_cell_forward(x[:, :, t], h_t, c_t, params)
        h[:, :, t] = h_t
        c[:, :, t] = c_t
    cache = {"x": x, "h0": h0, "c0": c0, "i": step["i"], "f": step["f"], "g": step["g"], "o": step["o"],
             "c": c, "h": h, "params": params}
    return h, c, cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_cache_list_of_step_caches",
          bug="the cache keeps a list of the step caches (another course's layout) instead of the gate arrays "
              "i, f, g, o over time",
          names=r"cache|key",
          source='''
def lstm_forward(x, h0, c0, params):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T))
    c = np.zeros((n_h, m, T))
    caches = []
    h_t, c_t = h0, c0
    for t in range(T):
        h_t, c_t, cache_t = lstm_cell_forward(x[:, :, t], h_t, c_t, params)
        h[:, :, t], c[:, :, t] = h_t, c_t
        caches.append(cache_t)
    cache = {"x": x, "h0": h0, "c0": c0, "h": h, "c": c, "params": params, "caches": caches}
    return h, c, cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_states_swapped_in_call",
          bug="the states are passed to lstm_cell_forward in the wrong order: the cell state as h_prev and the "
              "hidden state as c_prev",
          names=r"swap|argument|order of the (states|arguments)|(h|c)_prev.{0,30}(c|h)_prev|cell state (as|into|"
                r"for) h|hidden state (as|into|for) c",
          source='''
def lstm_forward(x, h0, c0, params):
    n_h, m = h0.shape
    T = x.shape[-1]
    out = {k: np.zeros((n_h, m, T)) for k in ["i", "f", "g", "o", "c", "h"]}
    h_t, c_t = h0, c0
    for t in range(T):
        h_t, c_t, step = lstm_cell_forward(x[..., t], c_t, h_t, params)
        for k in "ifgo":
            out[k][..., t] = step[k]
        out["h"][..., t] = h_t
        out["c"][..., t] = c_t
    cache = dict(out, x=x, h0=h0, c0=c0, params=params)
    return out["h"], out["c"], cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_stacked_on_first_axis",
          bug="the per-step states and gates are collected in lists and np.stack'ed on axis 0: h, c and the "
              "cached gates come out (T, n_h, m) instead of (n_h, m, T)",
          names=r"axis|stack|\(T, ?n_h, ?m\)|time (axis|last|dimension)|last axis|\(n_h, ?m, ?T\)",
          source='''
def lstm_forward(x, h0, c0, params):
    hs, cs = [], []
    gs = {"i": [], "f": [], "g": [], "o": []}
    h, c = h0, c0
    for t in range(x.shape[2]):
        h, c, step = lstm_cell_forward(x[:, :, t], h, c, params)
        hs.append(h)
        cs.append(c)
        for k in gs:
            gs[k].append(step[k])
    H, C = np.stack(hs), np.stack(cs)
    cache = {"x": x, "h0": h0, "c0": c0, "h": H, "c": C, "params": params}
    for k in gs:
        cache[k] = np.array(gs[k])
    return H, C, cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_h_and_c_same_array",
          bug="h = c = np.zeros(...) makes h and c the same array: writing c overwrites h, both return the cell "
              "states",
          names=r"alias|same (array|object)|copy|share|overwr",
          source='''
def lstm_forward(x, h0, c0, params):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = c = np.zeros((n_h, m, T))
    i = np.zeros((n_h, m, T))
    f = np.zeros((n_h, m, T))
    g = np.zeros((n_h, m, T))
    o = np.zeros((n_h, m, T))
    h_t, c_t = h0, c0
    for t in range(T):
        h_t, c_t, sc = lstm_cell_forward(x[:, :, t], h_t, c_t, params)
        h[:, :, t] = h_t
        c[:, :, t] = c_t
        i[:, :, t], f[:, :, t], g[:, :, t], o[:, :, t] = sc["i"], sc["f"], sc["g"], sc["o"]
    cache = {"x": x, "h0": h0, "c0": c0, "i": i, "f": f, "g": g, "o": o, "c": c, "h": h, "params": params}
    return h, c, cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_time_on_wrong_axis",
          bug="x is sliced as x[:, t] (time taken from the batch axis, time-major habit): the step reads "
              "(n_x, T) instead of (n_x, m)",
          names=r"x\[:, ?:, ?t\]|x\[:, ?t\]|time (axis|dimension)|(last|third|batch) axis|slic(e|ing) x",
          source='''
def lstm_forward(x, h0, c0, params):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T))
    c = np.zeros((n_h, m, T))
    cache = {k: np.zeros((n_h, m, T)) for k in "ifgo"}
    h_t, c_t = h0, c0
    for t in range(T):
        x_t = x[:, t]
        h_t, c_t, step = lstm_cell_forward(x_t, h_t, c_t, params)
        h[:, :, t] = h_t
        c[:, :, t] = c_t
        for k in "ifgo":
            cache[k][:, :, t] = step[k]
    cache.update({"x": x, "h0": h0, "c0": c0, "h": h, "c": c, "params": params})
    return h, c, cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_h_not_carried_and_cache_no_initial",
          bug="two bugs: every step is called with h0 (h not carried; c is), and the cache leaves out h0 and c0",
          names=r"(hidden state|\bh\b).{0,40}carr|carr.{0,40}(hidden|\bh\b)|h_prev|previous hidden|step to step|"
                r"cache|key",
          source='''
def lstm_forward(x, h0, c0, params):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    cache = {name: np.zeros((n_h, m, T)) for name in ("i", "f", "g", "o", "c", "h")}
    c_t = c0
    for t in range(T):
        h_t, c_t, sc = lstm_cell_forward(x[:, :, t], h0, c_t, params)
        for name in "ifgo":
            cache[name][:, :, t] = sc[name]
        cache["h"][:, :, t] = h_t
        cache["c"][:, :, t] = c_t
    cache["x"] = x
    cache["params"] = params
    return cache["h"], cache["c"], cache
'''),
    Entry(function="lstm_forward", name="lstm_fwd_return_order_and_state_before_step",
          bug="two bugs: returns (c, h, cache) instead of (h, c, cache), and h, c store the states before each "
              "step instead of after",
          names=r"order of (the )?return|return\w* .{0,30}(order|c, h)|swap|\(h, c, cache\)|off.by.one|shift|"
                r"one step (late|early|behind|ahead)|before reading|before the step|after reading|after each step",
          source='''
def lstm_forward(x, h0, c0, params):
    n_h, m = h0.shape
    T = x.shape[2]
    H = np.zeros((n_h, m, T))
    C = np.zeros((n_h, m, T))
    G = {k: np.zeros((n_h, m, T)) for k in "ifgo"}
    h_prev, c_prev = h0, c0
    for t in range(T):
        h_next, c_next, step = lstm_cell_forward(x[:, :, t], h_prev, c_prev, params)
        H[:, :, t] = h_prev
        C[:, :, t] = c_prev
        for k in G:
            G[k][:, :, t] = step[k]
        h_prev, c_prev = h_next, c_next
    cache = {"x": x, "h0": h0, "c0": c0, **G, "c": C, "h": H, "params": params}
    return C, H, cache
'''),

    # ------------------------------------------------------------------ lstm_cell_backward
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_no_path_through_h",
          bug="dc = dc_next: the gradient reaching c_next through h_next = o * tanh(c_next) is left out",
          names=r"through h|via h|both (uses|paths|routes)|two (paths|routes|uses)|dh_next ?\* ?o|"
                r"o ?\* ?\(1 ?- ?tanh",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    x_t, h_prev, c_prev = cache["x_t"], cache["h_prev"], cache["c_prev"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    tc = np.tanh(cache["c_next"])
    dc = dc_next
    dai = dc * g * i * (1 - i)
    daf = dc * c_prev * f * (1 - f)
    dag = dc * i * (1 - g ** 2)
    dao = dh_next * tc * o * (1 - o)
    das = {"i": dai, "f": daf, "g": dag, "o": dao}
    grads = {"dx_t": 0, "dh_prev": 0, "dc_prev": dc * f}
    for k, da in das.items():
        grads["dx_t"] = grads["dx_t"] + p["U" + k].T @ da
        grads["dh_prev"] = grads["dh_prev"] + p["W" + k].T @ da
        grads["dU" + k] = da @ x_t.T
        grads["dW" + k] = da @ h_prev.T
        grads["db" + k] = np.sum(da, axis=1, keepdims=True)
    return grads
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_tanh_derivative_of_c",
          bug="tanh' is evaluated as 1 - c_next**2 instead of 1 - tanh(c_next)**2 in dc",
          names=r"1 ?- ?tanh|tanh'|tanh.{0,30}deriv|deriv.{0,30}tanh|c_next ?\*\* ?2|\bc ?\*\* ?2",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    params = cache["params"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    c = cache["c_next"]
    dc = dc_next + dh_next * o * (1 - c ** 2)
    da_i = dc * g * i * (1 - i)
    da_f = dc * cache["c_prev"] * f * (1 - f)
    da_g = dc * i * (1 - g ** 2)
    da_o = dh_next * np.tanh(c) * o * (1 - o)
    da = {"i": da_i, "f": da_f, "g": da_g, "o": da_o}
    out = {}
    out["dx_t"] = sum(params["U" + k].T @ da[k] for k in "ifgo")
    out["dh_prev"] = sum(params["W" + k].T @ da[k] for k in "ifgo")
    out["dc_prev"] = dc * f
    for k in "ifgo":
        out["dU" + k] = da[k] @ cache["x_t"].T
        out["dW" + k] = da[k] @ cache["h_prev"].T
        out["db" + k] = da[k].sum(axis=1, keepdims=True)
    return out
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_missing_sigmoid_derivative",
          bug="the sigmoid's derivative is missing for the input and forget gates: da_i = dc * g, "
              "da_f = dc * c_prev",
          names=r"sigmoid.{0,30}deriv|deriv.{0,30}(sigmoid|gate)|i ?\* ?\(1 ?- ?i\)|f ?\* ?\(1 ?- ?f\)|"
                r"s ?\* ?\(1 ?- ?s\)|σ'|sigma'",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    Ui, Uf, Ug, Uo = (cache["params"]["U" + k] for k in "ifgo")
    Wi, Wf, Wg, Wo = (cache["params"]["W" + k] for k in "ifgo")
    i, f, g, o = (cache[k] for k in "ifgo")
    x_t, h_prev, c_prev = cache["x_t"], cache["h_prev"], cache["c_prev"]
    tanh_c = np.tanh(cache["c_next"])
    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)
    dai = dc * g
    daf = dc * c_prev
    dag = dc * i * (1 - g ** 2)
    dao = dh_next * tanh_c * o * (1 - o)
    return {
        "dx_t": Ui.T @ dai + Uf.T @ daf + Ug.T @ dag + Uo.T @ dao,
        "dh_prev": Wi.T @ dai + Wf.T @ daf + Wg.T @ dag + Wo.T @ dao,
        "dc_prev": dc * f,
        "dUi": dai @ x_t.T, "dUf": daf @ x_t.T, "dUg": dag @ x_t.T, "dUo": dao @ x_t.T,
        "dWi": dai @ h_prev.T, "dWf": daf @ h_prev.T, "dWg": dag @ h_prev.T, "dWo": dao @ h_prev.T,
        "dbi": dai.sum(1, keepdims=True), "dbf": daf.sum(1, keepdims=True),
        "dbg": dag.sum(1, keepdims=True), "dbo": dao.sum(1, keepdims=True),
    }
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_dc_prev_missing_f",
          bug="dc_prev = dc: the factor f of c_next = f * c_prev + ... is missing",
          names=r"dc_prev|forget gate|dc ?\* ?f\b|times f|factor f|highway",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    P = cache["params"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    th = np.tanh(cache["c_next"])
    dc = dc_next + dh_next * o * (1 - th * th)
    d = {"i": dc * g * i * (1 - i),
         "f": dc * cache["c_prev"] * f * (1 - f),
         "g": dc * i * (1 - g * g),
         "o": dh_next * th * o * (1 - o)}
    grads = {"dc_prev": dc}    # c_prev flows straight through the highway
    grads["dx_t"] = sum(np.dot(P["U" + k].T, d[k]) for k in "ifgo")
    grads["dh_prev"] = sum(np.dot(P["W" + k].T, d[k]) for k in "ifgo")
    for k in "ifgo":
        grads["dU" + k] = np.dot(d[k], cache["x_t"].T)
        grads["dW" + k] = np.dot(d[k], cache["h_prev"].T)
        grads["db" + k] = np.sum(d[k], axis=1, keepdims=True)
    return grads
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_dW_transposed",
          bug="dW_k = h_prev @ da_k.T, the transpose of da_k @ h_prev.T (W is square, so the shape is right)",
          names=r"transpos|h_prev\.T|h_prev\^?T|da_?k? ?@ ?h_prev",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    i, f, g, o = (cache[k] for k in "ifgo")
    tanh_c = np.tanh(cache["c_next"])
    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)
    da = {"i": dc * g * i * (1 - i), "f": dc * cache["c_prev"] * f * (1 - f),
          "g": dc * i * (1 - g ** 2), "o": dh_next * tanh_c * o * (1 - o)}
    grads = {"dx_t": np.zeros_like(cache["x_t"]), "dh_prev": np.zeros_like(cache["h_prev"]), "dc_prev": dc * f}
    for k in "ifgo":
        grads["dx_t"] += p["U" + k].T @ da[k]
        grads["dh_prev"] += p["W" + k].T @ da[k]
        grads["dU" + k] = da[k] @ cache["x_t"].T
        grads["dW" + k] = cache["h_prev"] @ da[k].T
        grads["db" + k] = np.sum(da[k], axis=1, keepdims=True)
    return grads
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_db_mean_over_batch",
          bug="db_k is the mean of da_k over the batch instead of the sum",
          names=r"\bmean|average|sum(med)? over|summed|batch|divid|/ ?m\b",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    tanh_c = np.tanh(cache["c_next"])
    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)
    da = {"i": dc * g * i * (1 - i),
          "f": dc * cache["c_prev"] * f * (1 - f),
          "g": dc * i * (1 - g ** 2),
          "o": dh_next * tanh_c * o * (1 - o)}
    grads = {"dx_t": sum(p["U" + k].T @ da[k] for k in "ifgo"),
             "dh_prev": sum(p["W" + k].T @ da[k] for k in "ifgo"),
             "dc_prev": dc * f}
    for k in "ifgo":
        grads["dU" + k] = da[k] @ cache["x_t"].T
        grads["dW" + k] = da[k] @ cache["h_prev"].T
        grads["db" + k] = np.mean(da[k], axis=1, keepdims=True)
    return grads
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_forget_uses_c_next",
          bug="da_f = dc * c_next * f * (1 - f): the forget gate's gradient uses c_next instead of c_prev",
          names=r"c_prev|previous cell|c\^?\{?<?t ?- ?1",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    c = cache["c_next"]
    dc = dc_next + dh_next * o * (1 - np.tanh(c) ** 2)
    dai = dc * g * i * (1 - i)
    daf = dc * c * f * (1 - f)
    dag = dc * i * (1 - g ** 2)
    dao = dh_next * np.tanh(c) * o * (1 - o)
    grads = {"dc_prev": dc * f,
             "dx_t": p["Ui"].T @ dai + p["Uf"].T @ daf + p["Ug"].T @ dag + p["Uo"].T @ dao,
             "dh_prev": p["Wi"].T @ dai + p["Wf"].T @ daf + p["Wg"].T @ dag + p["Wo"].T @ dao}
    for k, da in zip("ifgo", (dai, daf, dag, dao)):
        grads["dU" + k] = da @ cache["x_t"].T
        grads["dW" + k] = da @ cache["h_prev"].T
        grads["db" + k] = da.sum(axis=1, keepdims=True)
    return grads
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_candidate_sigmoid_derivative",
          bug="da_g = dc * i * g * (1 - g): the candidate gets the sigmoid's derivative instead of tanh's 1 - g**2",
          names=r"1 ?- ?g ?\*\* ?2|1 ?- ?g\^?2|1 ?- ?g²|tanh'|tanh.{0,30}deriv|deriv.{0,30}(tanh|candidate)|"
                r"candidate.{0,30}deriv",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    params = cache["params"]
    n_h = cache["h_prev"].shape[0]
    i, f, g, o = (cache[k] for k in "ifgo")
    tanh_c = np.tanh(cache["c_next"])
    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)
    # stacked like the forward pass: rows i, f, g, o
    da = np.vstack([dc * g * i * (1 - i),
                    dc * cache["c_prev"] * f * (1 - f),
                    dc * i * g * (1 - g),
                    dh_next * tanh_c * o * (1 - o)])
    U = np.vstack([params["U" + k] for k in "ifgo"])
    W = np.vstack([params["W" + k] for k in "ifgo"])
    dU = da @ cache["x_t"].T
    dW = da @ cache["h_prev"].T
    db = da.sum(axis=1, keepdims=True)
    grads = {"dx_t": U.T @ da, "dh_prev": W.T @ da, "dc_prev": dc * f}
    for n, k in enumerate("ifgo"):
        rows = slice(n * n_h, (n + 1) * n_h)
        grads["dU" + k], grads["dW" + k], grads["db" + k] = dU[rows], dW[rows], db[rows]
    return grads
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_dh_prev_misses_candidate_and_db_1d",
          bug="two bugs: dh_prev and dx_t sum W_k^T da_k and U_k^T da_k over i, f and o only (the candidate's term "
              "is missing), and db_k = np.sum(da_k, axis=1) without keepdims, shape (n_h,) instead of (n_h, 1)",
          names=r"all four|every gate|each gate|four gates|sum over (the )?(gates|k)|candidate|\bW_?g\b|\bU_?g\b|"
                r"da_?g|keepdims|\(n_h, ?1\)|column|\(n_h,\)|1-?d\b",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    tanh_c = np.tanh(cache["c_next"])
    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)
    da_i = dc * g * i * (1 - i)
    da_f = dc * cache["c_prev"] * f * (1 - f)
    da_g = dc * i * (1 - g ** 2)
    da_o = dh_next * tanh_c * o * (1 - o)
    # the three gates feed back into h_prev and x_t
    dh_prev = p["Wi"].T @ da_i + p["Wf"].T @ da_f + p["Wo"].T @ da_o
    dx_t = p["Ui"].T @ da_i + p["Uf"].T @ da_f + p["Uo"].T @ da_o
    grads = {"dx_t": dx_t, "dh_prev": dh_prev, "dc_prev": dc * f}
    for k, da in (("i", da_i), ("f", da_f), ("g", da_g), ("o", da_o)):
        grads["dU" + k] = da @ cache["x_t"].T
        grads["dW" + k] = da @ cache["h_prev"].T
        grads["db" + k] = np.sum(da, axis=1)
    return grads
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_squeezed_cache",
          bug="the cached arrays are np.squeeze'd 'to drop singleton axes': with n_h = 1, n_x = 1 or m = 1 the "
              "products and sums get the wrong shapes or fail",
          names=r"squeez|singleton|batch of one|size.one (axis|dimension)|1-?d\b|"
                r"(lost|loses|drops?|dropped|collaps\w*) (an?|the|its) (axis|axes|dimension)",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    x_t = np.squeeze(cache["x_t"])
    h_prev = np.squeeze(cache["h_prev"])
    i, f, g, o = (np.squeeze(cache[k]) for k in "ifgo")
    c_prev = np.squeeze(cache["c_prev"])
    tanh_c = np.tanh(np.squeeze(cache["c_next"]))
    dh = np.squeeze(dh_next)
    dc = np.squeeze(dc_next) + dh * o * (1 - tanh_c ** 2)
    da = {"i": dc * g * i * (1 - i), "f": dc * c_prev * f * (1 - f),
          "g": dc * i * (1 - g ** 2), "o": dh * tanh_c * o * (1 - o)}
    grads = {"dx_t": sum(np.dot(p["U" + k].T, da[k]) for k in "ifgo"),
             "dh_prev": sum(np.dot(p["W" + k].T, da[k]) for k in "ifgo"),
             "dc_prev": dc * f}
    for k in "ifgo":
        grads["dU" + k] = np.dot(da[k], x_t.T)
        grads["dW" + k] = np.dot(da[k], h_prev.T)
        grads["db" + k] = np.sum(da[k], axis=1, keepdims=True)
    return grads
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_dc_next_in_place",
          bug="dc_next += dh_next * o * (1 - tanh(c)**2): the caller's dc_next is changed in place "
              "(the gradients themselves are right)",
          names=r"in.place|dc_next.{0,40}(chang|modif|overwr|mutat)|(chang|modif|overwr|mutat).{0,40}dc_next|copy",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    tanh_c = np.tanh(cache["c_next"])
    dc_next += dh_next * o * (1 - tanh_c ** 2)     # total gradient into c_next
    dai = dc_next * g * i * (1 - i)
    daf = dc_next * cache["c_prev"] * f * (1 - f)
    dag = dc_next * i * (1 - g ** 2)
    dao = dh_next * tanh_c * o * (1 - o)
    grads = {"dc_prev": dc_next * f}
    grads["dx_t"] = p["Ui"].T @ dai + p["Uf"].T @ daf + p["Ug"].T @ dag + p["Uo"].T @ dao
    grads["dh_prev"] = p["Wi"].T @ dai + p["Wf"].T @ daf + p["Wg"].T @ dag + p["Wo"].T @ dao
    for k, da in zip("ifgo", [dai, daf, dag, dao]):
        grads["dU" + k] = da @ cache["x_t"].T
        grads["dW" + k] = da @ cache["h_prev"].T
        grads["db" + k] = da.sum(axis=1, keepdims=True)
    return grads
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_cache_gate_in_place",
          bug="di = cache['i'] then di *= 1 - i: the sigmoid derivative is computed in place, overwriting the "
              "cached input gate (the gradients themselves are right)",
          names=r"in.place|cache.{0,40}(chang|modif|overwr|mutat)|(chang|modif|overwr|mutat).{0,40}cache|copy|alias",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    tanh_c = np.tanh(cache["c_next"])
    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)
    dag = dc * i * (1 - g ** 2)
    daf = dc * cache["c_prev"] * f * (1 - f)
    dao = dh_next * tanh_c * o * (1 - o)
    di = i                 # sigmoid'(a_i) = i (1 - i)
    di *= 1 - i
    dai = dc * g * di
    das = {"i": dai, "f": daf, "g": dag, "o": dao}
    grads = {"dx_t": sum(p["U" + k].T @ d for k, d in das.items()),
             "dh_prev": sum(p["W" + k].T @ d for k, d in das.items()),
             "dc_prev": dc * f}
    for k, d in das.items():
        grads["dU" + k] = d @ cache["x_t"].T
        grads["dW" + k] = d @ cache["h_prev"].T
        grads["db" + k] = np.sum(d, axis=1, keepdims=True)
    return grads
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_no_path_through_h_and_no_f",
          bug="two bugs: dc = dc_next (no gradient through h_next = o * tanh(c_next)), and dc_prev = dc "
              "(missing the factor f)",
          names=r"through h|via h|both (uses|paths|routes)|two (paths|routes|uses)|dh_next ?\* ?o|"
                r"o ?\* ?\(1 ?- ?tanh|dc_prev|forget gate|dc ?\* ?f\b|times f|factor f|highway",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    x, hp, cp = cache["x_t"], cache["h_prev"], cache["c_prev"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    dai = dc_next * g * i * (1 - i)
    daf = dc_next * cp * f * (1 - f)
    dag = dc_next * i * (1 - g ** 2)
    dao = dh_next * np.tanh(cache["c_next"]) * o * (1 - o)
    res = {"dc_prev": dc_next}
    res["dx_t"] = np.dot(p["Ui"].T, dai) + np.dot(p["Uf"].T, daf) + np.dot(p["Ug"].T, dag) + np.dot(p["Uo"].T, dao)
    res["dh_prev"] = (np.dot(p["Wi"].T, dai) + np.dot(p["Wf"].T, daf) + np.dot(p["Wg"].T, dag)
                      + np.dot(p["Wo"].T, dao))
    for k, da in zip("ifgo", (dai, daf, dag, dao)):
        res["dU" + k] = np.dot(da, x.T)
        res["dW" + k] = np.dot(da, hp.T)
        res["db" + k] = np.sum(da, axis=1, keepdims=True)
    return res
'''),
    Entry(function="lstm_cell_backward", name="lstm_cell_bwd_output_uses_dc_and_db_mean",
          bug="two bugs: da_o = dc * tanh(c) * o * (1 - o) uses the total cell gradient dc instead of dh_next, "
              "and db_k is averaged over the batch",
          names=r"output gate|da_?o\b|\bmean|average|sum(med)? over|summed|batch",
          source='''
def lstm_cell_backward(dh_next, dc_next, cache):
    prm = cache["params"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    m = dh_next.shape[1]
    t = np.tanh(cache["c_next"])
    dc = dc_next + dh_next * o * (1 - t ** 2)
    das = [dc * g * i * (1 - i), dc * cache["c_prev"] * f * (1 - f), dc * i * (1 - g ** 2), dc * t * o * (1 - o)]
    grads = {"dx_t": 0.0, "dh_prev": 0.0, "dc_prev": dc * f}
    for k, da in zip("ifgo", das):
        grads["dx_t"] = grads["dx_t"] + prm["U" + k].T @ da
        grads["dh_prev"] = grads["dh_prev"] + prm["W" + k].T @ da
        grads["dU" + k] = da @ cache["x_t"].T
        grads["dW" + k] = da @ cache["h_prev"].T
        grads["db" + k] = da.sum(axis=1, keepdims=True) / m
    return grads
'''),

    # ------------------------------------------------------------------ lstm_backward
    Entry(function="lstm_backward", name="lstm_bptt_no_state_carry",
          bug="dh_next and dc_next from the later step are not added: every step starts from dh[:, :, t] alone",
          names=r"not carried|carr(y|ied)|next step|later step|dc_next|dh_next",
          source='''
def lstm_backward(dh, cache):
    x, h, c, params = cache["x"], cache["h"], cache["c"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "c_next": c[:, :, t], "params": params,
                "h_prev": h[:, :, t - 1] if t > 0 else cache["h0"],
                "c_prev": c[:, :, t - 1] if t > 0 else cache["c0"]}
        for k in "ifgo":
            step[k] = cache[k][:, :, t]
        g = lstm_cell_backward(dh[:, :, t], np.zeros_like(dh[:, :, t]), step)
        dx[:, :, t] = g["dx_t"]
        for k in grads:
            grads[k] += g[k]
    return {"dx": dx, "dh0": g["dh_prev"], "dc0": g["dc_prev"], **grads}
'''),
    Entry(function="lstm_backward", name="lstm_bptt_dc_not_carried",
          bug="the cell-state gradient is not carried: every step gets dc_next = 0 (dh_prev is carried)",
          names=r"dc_next|dc_prev|highway|cell.state('s)? gradient|(cell|\bc\b).{0,40}carr",
          source='''
def lstm_backward(dh, cache):
    x, h0, c0, h, c, params = (cache[k] for k in ("x", "h0", "c0", "h", "c", "params"))
    n_x, m, T = x.shape
    dx = np.zeros((n_x, m, T))
    grads = {}
    for name, value in params.items():
        grads["d" + name] = np.zeros(value.shape)
    dh_next = np.zeros(h0.shape)
    dc_t = np.zeros(c0.shape)
    for t in range(T - 1, -1, -1):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        c_prev = c0 if t == 0 else c[:, :, t - 1]
        step = {"x_t": x[:, :, t], "h_prev": h_prev, "c_prev": c_prev, "c_next": c[:, :, t], "params": params,
                "i": cache["i"][:, :, t], "f": cache["f"][:, :, t], "g": cache["g"][:, :, t],
                "o": cache["o"][:, :, t]}
        out = lstm_cell_backward(dh[:, :, t] + dh_next, np.zeros((h0.shape)), step)
        dx[:, :, t] = out["dx_t"]
        dh_next = out["dh_prev"]
        dc_t = out["dc_prev"]
        for name in grads:
            grads[name] += out[name]
    grads.update(dx=dx, dh0=dh_next, dc0=dc_t)
    return grads
'''),
    Entry(function="lstm_backward", name="lstm_bptt_dh_not_carried",
          bug="the hidden-state gradient is not carried: step t gets dh[:, :, t] alone, without the dh_prev of "
              "step t + 1 (dc_prev is carried)",
          names=r"dh_next|dh_prev|hidden.state('s)? gradient|(hidden|\bh\b).{0,40}carr",
          source='''
def lstm_backward(dh, cache):
    x, params = cache["x"], cache["params"]
    h, c = cache["h"], cache["c"]
    T = x.shape[-1]
    dx = np.zeros_like(x)
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dc_next = np.zeros_like(cache["c0"])
    dh_prev = np.zeros_like(cache["h0"])
    for t in reversed(range(T)):
        step = {k: cache[k][..., t] for k in "ifgo"}
        step["x_t"] = x[..., t]
        step["h_prev"] = h[..., t - 1] if t > 0 else cache["h0"]
        step["c_prev"] = c[..., t - 1] if t > 0 else cache["c0"]
        step["c_next"] = c[..., t]
        step["params"] = params
        res = lstm_cell_backward(dh[..., t], dc_next, step)
        dx[..., t] = res["dx_t"]
        dh_prev, dc_next = res["dh_prev"], res["dc_prev"]
        for k in grads:
            grads[k] += res[k]
    grads["dx"], grads["dh0"], grads["dc0"] = dx, dh_prev, dc_next
    return grads
'''),
    Entry(function="lstm_backward", name="lstm_bptt_grads_assigned",
          bug="the parameter gradients are assigned at every step (grads[k] = ...) instead of summed over time: "
              "only the first step's survive",
          names=r"accumul|sum(med)? over|summed|all (the )?steps'|every step's|over time|\+=|add(ed)? up",
          source='''
def lstm_backward(dh, cache):
    x, h0, c0 = cache["x"], cache["h0"], cache["c0"]
    h, c, params = cache["h"], cache["c"], cache["params"]
    T = x.shape[2]
    dx = np.zeros_like(x)
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(c0)
    grads = {}
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t else h0, "c_prev": c[:, :, t - 1] if t else c0,
                "c_next": c[:, :, t], "params": params}
        step.update({k: cache[k][:, :, t] for k in "ifgo"})
        g = lstm_cell_backward(dh[:, :, t] + dh_next, dc_next, step)
        dx[:, :, t] = g.pop("dx_t")
        dh_next = g.pop("dh_prev")
        dc_next = g.pop("dc_prev")
        for k in g:
            grads[k] = g[k]
    grads.update({"dx": dx, "dh0": dh_next, "dc0": dc_next})
    return grads
'''),
    Entry(function="lstm_backward", name="lstm_bptt_first_step_wraps_to_last",
          bug="the previous states of step t are read as h[:, :, t - 1] and c[:, :, t - 1] for every t, so the "
              "first step reads the LAST step's states (index -1) instead of h0 and c0",
          names=r"\bh ?0\b|\bc ?0\b|first step|index -1|\[-1\]|wrap|initial|t ?- ?1",
          source='''
def lstm_backward(dh, cache):
    x, h, c, params = cache["x"], cache["h"], cache["c"], cache["params"]
    n_x, m, T = x.shape
    dx = np.zeros_like(x)
    grads = {"d" + name: np.zeros_like(value) for name, value in params.items()}
    dh_next = np.zeros_like(cache["h0"])
    dc_next = np.zeros_like(cache["c0"])
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1], "c_prev": c[:, :, t - 1],
                "c_next": c[:, :, t], "params": params}
        for k in "ifgo":
            step[k] = cache[k][:, :, t]
        g = lstm_cell_backward(dh[:, :, t] + dh_next, dc_next, step)
        dx[:, :, t] = g["dx_t"]
        dh_next, dc_next = g["dh_prev"], g["dc_prev"]
        for name in grads:
            grads[name] += g[name]
    return {"dx": dx, "dh0": dh_next, "dc0": dc_next, **grads}
'''),
    Entry(function="lstm_backward", name="lstm_bptt_c_prev_is_current",
          bug="the step cache gets c_prev = c[:, :, t], the step's own new cell state, instead of c[:, :, t - 1] "
              "(c0 at the first step)",
          names=r"c_prev|previous cell|c\[:, ?:, ?t ?- ?1\]|\bc ?0\b",
          source='''
def lstm_backward(dh, cache):
    x, params = cache["x"], cache["params"]
    T = x.shape[2]
    dx = np.zeros_like(x)
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dh_next = np.zeros_like(cache["h0"])
    dc_next = np.zeros_like(cache["c0"])
    for t in reversed(range(T)):
        step = {
            "x_t": x[:, :, t],
            "h_prev": cache["h"][:, :, t - 1] if t > 0 else cache["h0"],
            "c_prev": cache["c"][:, :, t],
            "c_next": cache["c"][:, :, t],
            "i": cache["i"][:, :, t], "f": cache["f"][:, :, t], "g": cache["g"][:, :, t], "o": cache["o"][:, :, t],
            "params": params,
        }
        g = lstm_cell_backward(dh[:, :, t] + dh_next, dc_next, step)
        dx[:, :, t] = g["dx_t"]
        dh_next, dc_next = g["dh_prev"], g["dc_prev"]
        for k in grads:
            grads[k] += g[k]
    return {"dx": dx, "dh0": dh_next, "dc0": dc_next, **grads}
'''),
    Entry(function="lstm_backward", name="lstm_bptt_forward_in_time",
          bug="the loop walks forward in time (t = 0 ... T - 1), so the carried gradients go into the wrong steps",
          names=r"revers|backwards? (in|through) time|from the (last|end)|walk\w* (back|from)|direction",
          source='''
def lstm_backward(dh, cache):
    x, h0, c0, h, c, params = (cache[k] for k in ("x", "h0", "c0", "h", "c", "params"))
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dh_carry = np.zeros_like(h0)
    dc_carry = np.zeros_like(c0)
    for t in range(T):
        step = {k: cache[k][:, :, t] for k in "ifgo"}
        step["x_t"] = x[:, :, t]
        step["h_prev"] = h[:, :, t - 1] if t > 0 else h0
        step["c_prev"] = c[:, :, t - 1] if t > 0 else c0
        step["c_next"] = c[:, :, t]
        step["params"] = params
        g = lstm_cell_backward(dh[:, :, t] + dh_carry, dc_carry, step)
        dx[:, :, t] = g["dx_t"]
        dh_carry, dc_carry = g["dh_prev"], g["dc_prev"]
        for k in grads:
            grads[k] += g[k]
    return {"dx": dx, "dh0": dh_carry, "dc0": dc_carry, **grads}
'''),
    Entry(function="lstm_backward", name="lstm_bptt_dh_in_place",
          bug="dh[:, :, t - 1] += dh_prev adds the carried gradient into the caller's dh in place "
              "(the gradients themselves are right)",
          names=r"in.place|dh.{0,40}(chang|modif|overwr|mutat|unchanged)|(chang|modif|overwr|mutat).{0,40}\bdh\b|"
                r"copy",
          source='''
def lstm_backward(dh, cache):
    x, h0, c0, h, c, params = (cache[k] for k in ("x", "h0", "c0", "h", "c", "params"))
    T = x.shape[2]
    dx = np.zeros_like(x)
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dc_next = np.zeros_like(c0)
    for t in range(T - 1, -1, -1):
        step = {"x_t": x[:, :, t], "c_next": c[:, :, t], "params": params}
        step["h_prev"] = h[:, :, t - 1] if t > 0 else h0
        step["c_prev"] = c[:, :, t - 1] if t > 0 else c0
        for k in "ifgo":
            step[k] = cache[k][:, :, t]
        g = lstm_cell_backward(dh[:, :, t], dc_next, step)
        dx[:, :, t] = g["dx_t"]
        dc_next = g["dc_prev"]
        if t > 0:
            dh[:, :, t - 1] += g["dh_prev"]     # h<t-1> also feeds step t
        else:
            dh0 = g["dh_prev"]
        for k in grads:
            grads[k] += g[k]
    return {"dx": dx, "dh0": dh0, "dc0": dc_next, **grads}
'''),
    Entry(function="lstm_backward", name="lstm_bptt_dx_time_reversed",
          bug="dx_t of every step is appended to a list while walking backwards, then stacked without reversing: "
              "dx comes out in reversed time order",
          names=r"revers|time order|order in time|flip|mirror",
          source='''
def lstm_backward(dh, cache):
    x, h0, c0, h, c, params = (cache[k] for k in ("x", "h0", "c0", "h", "c", "params"))
    T = x.shape[2]
    dxs = []
    grads = {"d" + k: 0 for k in params}
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(c0)
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0,
                "c_prev": c[:, :, t - 1] if t > 0 else c0, "c_next": c[:, :, t], "params": params}
        step.update({k: cache[k][:, :, t] for k in "ifgo"})
        g = lstm_cell_backward(dh[:, :, t] + dh_next, dc_next, step)
        dxs.append(g["dx_t"])
        dh_next, dc_next = g["dh_prev"], g["dc_prev"]
        for k in grads:
            grads[k] = grads[k] + g[k]
    dx = np.stack(dxs, axis=2)
    return {"dx": dx, "dh0": dh_next, "dc0": dc_next, **grads}
'''),
    Entry(function="lstm_backward", name="lstm_bptt_squeezed_step",
          bug="the time slices are np.squeeze'd before the step: with m = 1 or n_x = 1 the step sees 1-D arrays, "
              "so the products get the wrong shapes or fail",
          names=r"squeez|singleton|batch of one|size.one (axis|dimension)|1-?d\b|"
                r"(lost|loses|drops?|dropped|collaps\w*) (an?|the|its) (axis|axes|dimension)",
          source='''
def lstm_backward(dh, cache):
    x, params = cache["x"], cache["params"]
    n_x, m, T = x.shape
    dx = np.zeros((n_x, m, T))
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dh_next = np.zeros_like(cache["h0"])
    dc_next = np.zeros_like(cache["c0"])
    for t in reversed(range(T)):
        step = {k: np.squeeze(cache[k][:, :, t]) for k in ("i", "f", "g", "o", "c")}
        step["c_next"] = step.pop("c")
        step["x_t"] = np.squeeze(x[:, :, t])
        step["h_prev"] = np.squeeze(cache["h"][:, :, t - 1]) if t > 0 else cache["h0"]
        step["c_prev"] = np.squeeze(cache["c"][:, :, t - 1]) if t > 0 else cache["c0"]
        step["params"] = params
        g = lstm_cell_backward(dh[:, :, t] + dh_next, dc_next, step)
        dx[:, :, t] = g["dx_t"].reshape(n_x, m)
        dh_next, dc_next = g["dh_prev"], g["dc_prev"]
        for k in grads:
            grads[k] += g[k]
    return {"dx": dx, "dh0": dh_next, "dc0": dc_next, **grads}
'''),
    Entry(function="lstm_backward", name="lstm_bptt_dh0_is_incoming",
          bug="dh0 is the gradient arriving at h<1> (dh[:, :, 0] + the carried dh), not the dh_prev the first "
              "step sends back",
          names=r"sends? back|dh_prev|arriv|incoming|h<1>",
          source='''
def lstm_backward(dh, cache):
    x, params = cache["x"], cache["params"]
    T = x.shape[2]
    dx = np.zeros_like(x)
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dh_next = np.zeros_like(cache["h0"])
    dc_next = np.zeros_like(cache["c0"])
    for t in reversed(range(T)):
        dh_t = dh[:, :, t] + dh_next
        step = {"x_t": x[:, :, t], "c_next": cache["c"][:, :, t], "params": params,
                "h_prev": cache["h"][:, :, t - 1] if t > 0 else cache["h0"],
                "c_prev": cache["c"][:, :, t - 1] if t > 0 else cache["c0"],
                "i": cache["i"][:, :, t], "f": cache["f"][:, :, t],
                "g": cache["g"][:, :, t], "o": cache["o"][:, :, t]}
        g = lstm_cell_backward(dh_t, dc_next, step)
        dx[:, :, t] = g["dx_t"]
        dh_next, dc_next = g["dh_prev"], g["dc_prev"]
        for k in grads:
            grads[k] += g[k]
    return {"dx": dx, "dh0": dh_t, "dc0": dc_next, **grads}
'''),
    Entry(function="lstm_backward", name="lstm_bptt_step_cache_aliases_cache",
          bug="step = cache (no copy): writing the step's slices into it overwrites the forward cache's gates "
              "with 2-D slices, so the next step breaks and the caller's cache is changed",
          names=r"alias|copy|in.place|cache.{0,40}(chang|modif|overwr|mutat)|overwr",
          source='''
def lstm_backward(dh, cache):
    x, h0, c0 = cache["x"], cache["h0"], cache["c0"]
    h, c, params = cache["h"], cache["c"], cache["params"]
    T = x.shape[2]
    dx = np.zeros_like(x)
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(c0)
    for t in reversed(range(T)):
        step = cache               # reuse the dict, only the step's entries change
        step["x_t"] = x[:, :, t]
        step["h_prev"] = h[:, :, t - 1] if t > 0 else h0
        step["c_prev"] = c[:, :, t - 1] if t > 0 else c0
        step["c_next"] = c[:, :, t]
        for k in "ifgo":
            step[k] = cache[k][:, :, t]
        g = lstm_cell_backward(dh[:, :, t] + dh_next, dc_next, step)
        dx[:, :, t] = g["dx_t"]
        dh_next, dc_next = g["dh_prev"], g["dc_prev"]
        for k in grads:
            grads[k] += g[k]
    return {"dx": dx, "dh0": dh_next, "dc0": dc_next, **grads}
'''),
    Entry(function="lstm_backward", name="lstm_bptt_assigned_and_dc_not_carried",
          bug="two bugs: the parameter gradients are assigned at every step instead of summed, and the cell-state "
              "gradient is not carried (dc_next = 0 at every step)",
          names=r"accumul|sum(med)? over|summed|all (the )?steps'|every step's|over time|\+=|add(ed)? up|dc_next|"
                r"dc_prev|highway|cell.state('s)? gradient|(cell|\bc\b).{0,40}carr",
          source='''
def lstm_backward(dh, cache):
    n_x, m, T = cache["x"].shape
    n_h = cache["h0"].shape[0]
    dx = np.zeros((n_x, m, T))
    dh_prev = np.zeros((n_h, m))
    out = {}
    for t in range(T - 1, -1, -1):
        step = {"x_t": cache["x"][:, :, t], "params": cache["params"], "c_next": cache["c"][:, :, t]}
        step["h_prev"] = cache["h0"] if t == 0 else cache["h"][:, :, t - 1]
        step["c_prev"] = cache["c0"] if t == 0 else cache["c"][:, :, t - 1]
        for k in "ifgo":
            step[k] = cache[k][:, :, t]
        grads = lstm_cell_backward(dh[:, :, t] + dh_prev, np.zeros((n_h, m)), step)
        dx[:, :, t] = grads["dx_t"]
        dh_prev = grads["dh_prev"]
        for k in ("dU", "dW", "db"):
            for gate in "ifgo":
                out[k + gate] = grads[k + gate]
    out["dx"], out["dh0"], out["dc0"] = dx, dh_prev, grads["dc_prev"]
    return out
'''),
    Entry(function="lstm_backward", name="lstm_bptt_wraps_and_dx_reversed",
          bug="two bugs: the first step reads h[:, :, -1], c[:, :, -1] (the last step's states) instead of h0, c0, "
              "and dx is stacked in reversed time order",
          names=r"\bh ?0\b|\bc ?0\b|first step|index -1|\[-1\]|wrap|initial|revers|time order|order in time|flip",
          source='''
def lstm_backward(dh, cache):
    x, h, c, params = cache["x"], cache["h"], cache["c"], cache["params"]
    T = x.shape[2]
    grads = {"d" + p: np.zeros_like(params[p]) for p in params}
    dx_list = []
    dh_n = np.zeros_like(cache["h0"])
    dc_n = np.zeros_like(cache["c0"])
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1], "c_prev": c[:, :, t - 1], "c_next": c[:, :, t],
                "i": cache["i"][:, :, t], "f": cache["f"][:, :, t], "g": cache["g"][:, :, t],
                "o": cache["o"][:, :, t], "params": params}
        res = lstm_cell_backward(dh[:, :, t] + dh_n, dc_n, step)
        dx_list.append(res["dx_t"])
        dh_n, dc_n = res["dh_prev"], res["dc_prev"]
        for p in grads:
            grads[p] += res[p]
    return {"dx": np.dstack(dx_list), "dh0": dh_n, "dc0": dc_n, **grads}
'''),
]
