"""A held-out set of wrong implementations (see corpus/__init__.py), written after the grader's diagnosis
was tuned on a03, a04, a08, a09."""
from . import Entry

IN_PLACE = r"in.?place|unchanged|modif|mutat|overwr|side.?effect|copy"

ENTRIES = {
    "03-rnn-forward": [
        # ---------------------------------------------------------------- softmax
        Entry(function="softmax", name="no_max_shift", bug="exponentiates the raw logits: overflows near 1000",
              names=r"overflow|stab|subtract.{0,30}max|max.{0,30}subtract|\bnan\b|\binf\b|infinit|large logits",
              source='''def softmax(z):
    """Softmax over axis 0."""
    exps = np.exp(z)
    return exps / np.sum(exps, axis=0, keepdims=True)
'''),
        Entry(function="softmax", name="max_over_examples",
              bug="subtracts the max over axis 1 (the examples), a different constant for every class",
              names=r"max|shift|subtract|stab",
              source='''def softmax(z):
    shifted = z - np.max(z, axis=1, keepdims=True)   # keeps exp from overflowing
    e = np.exp(shifted)
    return e / e.sum(axis=0, keepdims=True)
'''),
        Entry(function="softmax", name="clip_logits",
              bug="clips the logits to [-500, 500] instead of subtracting the max, so huge logits all become equal",
              names=r"overflow|stab|clip|large|huge|subtract.{0,30}max|\bnan\b|\binf\b",
              source='''def softmax(z):
    z = np.clip(z, -500, 500)        # exp overflows above ~709, so stay below that
    e = np.exp(z)
    return e / e.sum(axis=0, keepdims=True)
'''),
        Entry(function="softmax", name="flat_softmax",
              bug="two bugs: no max shift, and normalises over the whole array instead of each column",
              names=r"overflow|stab|axis|normali[sz]|columns?|sums? to (1|one)|max",
              source='''def softmax(z):
    return np.exp(z) / np.sum(np.exp(z))
'''),
        # ---------------------------------------------------------------- rnn_cell_forward
        Entry(function="rnn_cell_forward", name="sigmoid_activation", bug="uses the logistic sigmoid instead of tanh",
              names=r"tanh|sigmoid|activation|nonlinear|squash",
              source='''def rnn_cell_forward(x_t, h_prev, params):
    a = np.dot(params["U"], x_t) + np.dot(params["W"], h_prev) + params["b"]
    h_next = 1 / (1 + np.exp(-a))
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache
'''),
        Entry(function="rnn_cell_forward", name="recurrent_weight_transposed",
              bug="multiplies h_prev by W transposed (W.T @ h_prev)",
              names=r"transpos|W\^?T\b|W\.T|recurren|\bW\b",
              source='''def rnn_cell_forward(x_t, h_prev, params):
    U, W, b = params["U"], params["W"], params["b"]
    h_next = np.tanh(U @ x_t + W.T @ h_prev + b)
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache
'''),
        Entry(function="rnn_cell_forward", name="cache_h_prev_overwritten",
              bug="reuses the name h_prev for the new state, so the cache's h_prev is the new state",
              names=r"cache.{0,40}h_prev|h_prev.{0,40}cache|previous state",
              source='''def rnn_cell_forward(x_t, h_prev, params):
    U, W, b = params["U"], params["W"], params["b"]
    h_prev = np.tanh(U @ x_t + W @ h_prev + b)     # update the state
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_prev, "params": params}
    return h_prev, cache
'''),
        Entry(function="rnn_cell_forward", name="elementwise_recurrence",
              bug="multiplies W and h_prev elementwise (W * h_prev) instead of the matrix product",
              names=r"element.?wise|matrix (product|multipl)|matmul|np\.dot|@|broadcast",
              source='''def rnn_cell_forward(x_t, h_prev, params):
    U = params["U"]
    W = params["W"]
    b = params["b"]
    a = U @ x_t + W * h_prev + b
    h_next = np.tanh(a)
    return h_next, {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
'''),
        Entry(function="rnn_cell_forward", name="no_bias_params_renamed",
              bug="two bugs: leaves out the bias b, and stores the parameters in the cache under 'parameters'",
              names=r"bias|\bb\b|cache|params|key",
              source='''def rnn_cell_forward(x_t, h_prev, params):
    h_next = np.tanh(params["U"] @ x_t + params["W"] @ h_prev)
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "parameters": params}
    return h_next, cache
'''),
        # ---------------------------------------------------------------- rnn_forward
        Entry(function="rnn_forward", name="state_not_carried",
              bug="starts every step from h0 instead of the previous state",
              names=r"carr|previous (hidden )?state|from step to step|recurren|h0 at every|every step (starts|uses)",
              source='''def rnn_forward(x, h0, params):
    n_x, m, T = x.shape
    h = np.zeros((h0.shape[0], m, T))
    for t in range(T):
        h_next, _ = rnn_cell_forward(x[:, :, t], h0, params)
        h[:, :, t] = h_next
    cache = {"x": x, "h0": h0, "h": h, "params": params}
    return h, cache
'''),
        Entry(function="rnn_forward", name="axes_unpacked_wrong",
              bug="unpacks x.shape as (n_x, T, m): batch and time swapped",
              names=r"unpack|\(n_x, ?m, ?T\)|order of (the )?(axes|dimensions)|x\.shape|axes|swap",
              source='''def rnn_forward(x, h0, params):
    n_x, T, m = x.shape
    n_h = params["W"].shape[0]
    h = np.zeros((n_h, m, T))
    h_t = h0
    for t in range(T):
        h_t, _ = rnn_cell_forward(x[:, :, t], h_t, params)
        h[:, :, t] = h_t
    return h, {"x": x, "h0": h0, "h": h, "params": params}
'''),
        Entry(function="rnn_forward", name="h0_overwritten_in_cache",
              bug="carries the state in the variable h0, so the cache's h0 is the last state",
              names=r"cache.{0,40}h0|h0.{0,40}cache|initial state",
              source='''def rnn_forward(x, h0, params):
    h = np.zeros((h0.shape[0], x.shape[1], x.shape[2]))
    for t in range(x.shape[2]):
        h0, _ = rnn_cell_forward(x[:, :, t], h0, params)
        h[:, :, t] = h0
    return h, {"x": x, "h0": h0, "h": h, "params": params}
'''),
        Entry(function="rnn_forward", name="state_before_step_no_x",
              bug="two bugs: stores the state before each step (h[:, :, 0] = h0), and the cache has 'x_t', not 'x'",
              names=r"off.by.one|after|before|shift|lag|h0|cache|key",
              source='''def rnn_forward(x, h0, params):
    n_h = h0.shape[0]
    m, T = x.shape[1], x.shape[2]
    h = np.zeros((n_h, m, T))
    h_t = h0
    for t in range(T):
        h[:, :, t] = h_t
        h_t, _ = rnn_cell_forward(x[:, :, t], h_t, params)
    cache = {"x_t": x, "h0": h0, "h": h, "params": params}
    return h, cache
'''),
        # ---------------------------------------------------------------- output_forward
        Entry(function="output_forward", name="bias_without_time_axis",
              bug="adds c (n_y, 1) directly to (n_y, m, T), so it broadcasts against the wrong axes",
              names=r"\bc\b|bias|broadcast|trailing axis|c\[:, ?:, ?None\]|new ?axis",
              source='''def output_forward(h, params):
    V, c = params["V"], params["by"]
    z = np.tensordot(V, h, axes=1) + c
    return z, {"h": h, "params": params}
'''),
        Entry(function="output_forward", name="returns_probabilities",
              bug="applies the softmax: returns probabilities, not logits",
              names=r"softmax|probabilit|logit",
              source='''def output_forward(h, params):
    V, c = params["V"], params["by"]
    z = np.einsum("yh,hmt->ymt", V, h) + c[:, :, None]
    z = softmax(z)
    cache = {"h": h, "params": params}
    return z, cache
'''),
        Entry(function="output_forward", name="zeros_like_h",
              bug="allocates z with np.zeros_like(h): n_h rows instead of n_y",
              names=r"zeros_like|shape of h\b|like h\b|n_y rows|number of (classes|outputs)|output size|allocat",
              source='''def output_forward(h, params):
    V, c = params["V"], params["by"]
    z = np.zeros_like(h)
    for t in range(h.shape[2]):
        z[:, :, t] = V @ h[:, :, t] + c
    return z, {"h": h, "params": params}
'''),
        Entry(function="output_forward", name="tanh_again", bug="applies tanh to the hidden states again before V",
              names=r"tanh|activation|already|squash",
              source='''def output_forward(h, params):
    a = np.tanh(h)
    z = np.tensordot(params["V"], a, axes=1) + params["by"][:, :, None]
    return z, {"h": h, "params": params}
'''),
    ],
    "04a-loss-and-cell": [
        # ---------------------------------------------------------------- softmax_cross_entropy
        Entry(function="softmax_cross_entropy", name="mask_missing_in_dz",
              bug="applies the mask to the loss but not to dz: padded positions get a gradient",
              names=r"mask|padd",
              source='''def softmax_cross_entropy(z, y, mask=None):
    if mask is None:
        mask = np.ones(y.shape)
    N = mask.sum()
    shifted = z - z.max(axis=0, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))
    picked = np.take_along_axis(log_p, y[None], axis=0)[0]
    loss = -np.sum(picked * mask) / N
    onehot = np.moveaxis(np.eye(z.shape[0])[y], -1, 0)
    dz = (np.exp(log_p) - onehot) / N
    return float(loss), dz
'''),
        Entry(function="softmax_cross_entropy", name="log_of_probabilities",
              bug="takes the log of softmax probabilities, which round to 0 for logits far apart (inf loss)",
              names=r"log.?softmax|log of (a |the )?probabilit|\binf\b|infinit|underflow|overflow|stab|log\(0\)"
                    r"|log-?sum-?exp|rounds? to (0|zero)|\bnan\b",
              source='''def softmax_cross_entropy(z, y, mask=None):
    mask = np.ones(y.shape) if mask is None else mask
    n = mask.sum()
    p = softmax(z)
    p_target = np.take_along_axis(p, y[None], axis=0)[0]
    loss = -np.sum(mask * np.log(p_target)) / n
    onehot = np.moveaxis(np.eye(z.shape[0])[y], -1, 0)
    dz = (p - onehot) * mask / n
    return float(loss), dz
'''),
        Entry(function="softmax_cross_entropy", name="onehot_reshaped",
              bug="builds the one-hot array with reshape(z.shape) instead of moving the class axis to the front",
              names=r"one.?hot|moveaxis|reshape|target",
              source='''def softmax_cross_entropy(z, y, mask=None):
    mask = np.ones(y.shape) if mask is None else mask
    n = mask.sum()
    shifted = z - z.max(axis=0, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    picked = np.take_along_axis(log_p, y[None], axis=0)[0]
    loss = -(picked * mask).sum() / n
    onehot = np.eye(z.shape[0])[y].reshape(z.shape)
    dz = (np.exp(log_p) - onehot) * mask / n
    return float(loss), dz
'''),
        Entry(function="softmax_cross_entropy", name="no_mask_divides_by_one",
              bug="without a mask it sets mask = 1.0, so N = 1 and the loss is a sum, not a mean",
              names=r"mean|\bN\b|divid|average|mask is None|no mask|without (a )?mask|number of (real )?positions"
                    r"|normali[sz]",
              source='''def softmax_cross_entropy(z, y, mask=None):
    if mask is None:
        mask = 1.0
    N = np.sum(mask)
    zs = z - np.max(z, axis=0, keepdims=True)
    lse = np.log(np.sum(np.exp(zs), axis=0, keepdims=True))
    log_probs = zs - lse
    target_logp = np.take_along_axis(log_probs, y[np.newaxis], axis=0)[0]
    loss = -np.sum(mask * target_logp) / N
    y_onehot = np.moveaxis(np.eye(z.shape[0])[y], -1, 0)
    dz = mask * (np.exp(log_probs) - y_onehot) / N
    return float(loss), dz
'''),
        Entry(function="softmax_cross_entropy", name="dz_sign_and_mask_size",
              bug="two bugs: dz = onehot - yhat (wrong sign), and N = mask.size (counts the padding)",
              names=r"sign|negat|minus|opposite|mask\.sum|\bN\b|divid|positions|padd",
              source='''def softmax_cross_entropy(z, y, mask=None):
    if mask is None:
        mask = np.ones(y.shape)
    N = mask.size
    shifted = z - z.max(axis=0, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    loss = -np.sum(np.take_along_axis(log_p, y[None], axis=0)[0] * mask) / N
    onehot = np.moveaxis(np.eye(z.shape[0])[y], -1, 0)
    dz = (onehot - np.exp(log_p)) * mask / N
    return float(loss), dz
'''),
        # ---------------------------------------------------------------- rnn_cell_backward
        Entry(function="rnn_cell_backward", name="tanh_derivative_one_minus_h",
              bug="uses 1 - h_next as the derivative of tanh instead of 1 - h_next**2",
              names=r"tanh|derivative|1 ?- ?h|squared|\*\*2",
              source='''def rnn_cell_backward(dh_next, cache):
    U, W = cache["params"]["U"], cache["params"]["W"]
    da = dh_next * (1 - cache["h_next"])
    return {"dx_t": U.T @ da, "dh_prev": W.T @ da, "dU": da @ cache["x_t"].T,
            "dW": da @ cache["h_prev"].T, "db": np.sum(da, axis=1, keepdims=True)}
'''),
        Entry(function="rnn_cell_backward", name="db_averaged",
              bug="averages da over the batch for db instead of summing",
              names=r"\bdb\b|bias|mean|average|sum over (the )?(batch|examples)",
              source='''def rnn_cell_backward(dh_next, cache):
    x_t, h_prev, h_next = cache["x_t"], cache["h_prev"], cache["h_next"]
    U = cache["params"]["U"]
    W = cache["params"]["W"]
    da = dh_next * (1 - h_next ** 2)
    dU = np.dot(da, x_t.T)
    dW = np.dot(da, h_prev.T)
    db = np.mean(da, axis=1, keepdims=True)
    dx_t = np.dot(U.T, da)
    dh_prev = np.dot(W.T, da)
    return {"dx_t": dx_t, "dh_prev": dh_prev, "dU": dU, "dW": dW, "db": db}
'''),
        Entry(function="rnn_cell_backward", name="dh_prev_untransposed", bug="dh_prev = W da instead of W^T da",
              names=r"dh_prev|transpos|W\^?T\b|W\.T",
              source='''def rnn_cell_backward(dh_next, cache):
    p = cache["params"]
    da = dh_next * (1.0 - cache["h_next"] ** 2)
    grads = {}
    grads["dx_t"] = p["U"].T @ da
    grads["dh_prev"] = p["W"] @ da
    grads["dU"] = da @ cache["x_t"].T
    grads["dW"] = da @ cache["h_prev"].T
    grads["db"] = da.sum(axis=1, keepdims=True)
    return grads
'''),
        Entry(function="rnn_cell_backward", name="dh_next_scaled_in_place",
              bug="multiplies dh_next in place by the tanh derivative, changing the caller's array",
              names=IN_PLACE,
              source='''def rnn_cell_backward(dh_next, cache):
    U, W = cache["params"]["U"], cache["params"]["W"]
    dh_next *= 1 - cache["h_next"] ** 2      # now it is da
    da = dh_next
    return {
        "dx_t": U.T @ da,
        "dh_prev": W.T @ da,
        "dU": da @ cache["x_t"].T,
        "dW": da @ cache["h_prev"].T,
        "db": da.sum(axis=1, keepdims=True),
    }
'''),
        Entry(function="rnn_cell_backward", name="dx_t_skips_derivative_db_flat",
              bug="two bugs: dx_t = U^T dh_next (skips the tanh derivative), and db loses its column axis (n_h,)",
              names=r"dx_t|\bdb\b|keepdims|tanh|derivative|\(n_h, ?1\)",
              source='''def rnn_cell_backward(dh_next, cache):
    U, W = cache["params"]["U"], cache["params"]["W"]
    da = dh_next * (1 - cache["h_next"] ** 2)
    dx_t = U.T @ dh_next
    dh_prev = W.T @ da
    dU = da @ cache["x_t"].T
    dW = da @ cache["h_prev"].T
    db = da.sum(axis=1)
    return {"dx_t": dx_t, "dh_prev": dh_prev, "dU": dU, "dW": dW, "db": db}
'''),
        # ---------------------------------------------------------------- output_backward
        Entry(function="output_backward", name="dV_last_step", bug="dV uses only the last time step",
              names=r"\bdV\b|over (all )?(the )?(time|steps)|every step|all (the )?steps|summ?(ed)? over time",
              source='''def output_backward(dz, cache):
    h, V = cache["h"], cache["params"]["V"]
    dh = np.tensordot(V.T, dz, axes=1)
    dV = dz[:, :, -1] @ h[:, :, -1].T
    dby = dz.sum(axis=(1, 2)).reshape(-1, 1)
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
        Entry(function="output_backward", name="dc_per_example",
              bug="dby sums dz over time only, leaving one column per example (n_y, m)",
              names=r"\bdc\b|bias|\(n_y, ?1\)|sum over (the )?batch|examples",
              source='''def output_backward(dz, cache):
    V = cache["params"]["V"]
    h = cache["h"]
    dh = np.einsum("yh,ymt->hmt", V, dz)
    dV = np.einsum("ymt,hmt->yh", dz, h)
    dby = np.sum(dz, axis=2)
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
        Entry(function="output_backward", name="dh_extra_tanh_derivative",
              bug="multiplies dh by the tanh derivative 1 - h**2, which belongs to rnn_backward",
              names=r"tanh|derivative|1 ?- ?h|activation|\bdh\b",
              source='''def output_backward(dz, cache):
    h, V = cache["h"], cache["params"]["V"]
    dh = np.tensordot(V.T, dz, axes=1) * (1 - h ** 2)
    dV = np.tensordot(dz, h, axes=([1, 2], [1, 2]))
    dby = dz.sum(axis=(1, 2))[:, None]
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
        Entry(function="output_backward", name="dc_loop_overwritten",
              bug="in a loop over time, dby is assigned (=) instead of accumulated (+=): only the last step counts",
              names=r"\bdc\b|bias|accumul|over time|every step|all (the )?steps|\+=",
              source='''def output_backward(dz, cache):
    h = cache["h"]
    V = cache["params"]["V"]
    T = h.shape[2]
    dh = np.zeros_like(h)
    dV = np.zeros_like(V)
    dby = np.zeros_like(cache["params"]["by"])
    for t in range(T):
        dh[:, :, t] = V.T @ dz[:, :, t]
        dV += dz[:, :, t] @ h[:, :, t].T
        dby = dz[:, :, t].sum(axis=1, keepdims=True)
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
    ],
    "04b-bptt": [
        # ---------------------------------------------------------------- rnn_backward
        Entry(function="rnn_backward", name="gradient_not_carried",
              bug="each step gets only dh[:, :, t]; the dh_prev of the next step is never added",
              names=r"carr|next step|from (the )?(step|later)|recurren|W\^?T ?da|through time|dh_prev",
              source='''def rnn_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    dx = np.zeros_like(x)
    dU, dW, db = np.zeros_like(params["U"]), np.zeros_like(params["W"]), np.zeros_like(params["b"])
    dh0 = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h[:, :, t - 1] if t > 0 else h0
        step = rnn_cell_backward(dh[:, :, t], {"x_t": x[:, :, t], "h_prev": h_prev, "h_next": h[:, :, t],
                                               "params": params})
        dx[:, :, t] = step["dx_t"]
        dU += step["dU"]
        dW += step["dW"]
        db += step["db"]
        dh0 = step["dh_prev"]
    return {"dx": dx, "dh0": dh0, "dU": dU, "dW": dW, "db": db}
'''),
        Entry(function="rnn_backward", name="first_step_wraps",
              bug="uses h[:, :, t-1] as the previous state at t = 0 too, which is the last state, not h0",
              names=r"h0|first step|previous state|wrap|last state|h\[:, ?:, ?-1\]",
              source='''def rnn_backward(dh, cache):
    x, h, params = cache["x"], cache["h"], cache["params"]
    n_x, m, T = x.shape
    grads = {"dx": np.zeros((n_x, m, T)), "dU": np.zeros(params["U"].shape),
             "dW": np.zeros(params["W"].shape), "db": np.zeros(params["b"].shape)}
    carry = np.zeros(cache["h0"].shape)
    for t in range(T - 1, -1, -1):
        step_cache = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1], "h_next": h[:, :, t], "params": params}
        g = rnn_cell_backward(dh[:, :, t] + carry, step_cache)
        grads["dx"][:, :, t] = g["dx_t"]
        grads["dU"] += g["dU"]
        grads["dW"] += g["dW"]
        grads["db"] += g["db"]
        carry = g["dh_prev"]
    grads["dh0"] = carry
    return grads
'''),
        Entry(function="rnn_backward", name="dh_accumulated_in_place",
              bug="adds each step's dh_prev into the caller's dh array in place",
              names=IN_PLACE,
              source='''def rnn_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    dx = np.zeros(x.shape)
    dU = np.zeros(params["U"].shape)
    dW = np.zeros(params["W"].shape)
    db = np.zeros(params["b"].shape)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        g = rnn_cell_backward(dh[:, :, t], {"x_t": x[:, :, t], "h_prev": h_prev, "h_next": h[:, :, t],
                                            "params": params})
        dx[:, :, t] = g["dx_t"]
        dU += g["dU"]
        dW += g["dW"]
        db += g["db"]
        if t > 0:
            dh[:, :, t - 1] += g["dh_prev"]     # the gradient flows into the previous state
        else:
            dh0 = g["dh_prev"]
    return {"dx": dx, "dh0": dh0, "dU": dU, "dW": dW, "db": db}
'''),
        Entry(function="rnn_backward", name="forward_order",
              bug="loops t = 0..T-1 (forward in time) while carrying the gradient, so it flows the wrong way",
              names=r"revers|order|last step|from the end|direction|backwards? (in|through) time|T ?- ?1",
              source='''def rnn_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"dx": np.zeros(x.shape), "dU": np.zeros(params["U"].shape), "dW": np.zeros(params["W"].shape),
             "db": np.zeros(params["b"].shape)}
    dh_carry = np.zeros(h0.shape)
    for t in range(T):
        h_prev = h[:, :, t - 1] if t > 0 else h0
        step = rnn_cell_backward(dh[:, :, t] + dh_carry,
                                 {"x_t": x[:, :, t], "h_prev": h_prev, "h_next": h[:, :, t], "params": params})
        grads["dx"][:, :, t] = step["dx_t"]
        for k in ("dU", "dW", "db"):
            grads[k] += step[k]
        dh_carry = step["dh_prev"]
    grads["dh0"] = dh_carry
    return grads
'''),
        Entry(function="rnn_backward", name="dh0_too_early_db_overwritten",
              bug="two bugs: dh0 is saved before the first step is run backwards, and db keeps only one step's term",
              names=r"dh0|initial state|first step|\bdb\b|bias|accumul|over time|every step|all (the )?steps",
              source='''def rnn_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"dx": np.zeros(x.shape), "dU": np.zeros(params["U"].shape), "dW": np.zeros(params["W"].shape)}
    dh_next = np.zeros(h0.shape)
    for t in reversed(range(T)):
        if t == 0:
            grads["dh0"] = dh_next
        h_prev = h[:, :, t - 1] if t > 0 else h0
        step = rnn_cell_backward(dh[:, :, t] + dh_next,
                                 {"x_t": x[:, :, t], "h_prev": h_prev, "h_next": h[:, :, t], "params": params})
        grads["dx"][:, :, t] = step["dx_t"]
        grads["dU"] += step["dU"]
        grads["dW"] += step["dW"]
        grads["db"] = step["db"]
        dh_next = step["dh_prev"]
    return grads
'''),
        # ---------------------------------------------------------------- grad_check
        Entry(function="grad_check", name="one_sided_difference",
              bug="uses the forward difference (f(theta + eps) - f(theta)) / eps instead of the centered one",
              names=r"cent(er|re)d|forward difference|one.?sided|2 ?\*? ?eps|symmetric|both sides",
              source='''def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    if rng is None:
        rng = np.random.default_rng(0)
    errors = {}
    f0 = f(params)
    for name, theta in params.items():
        g = np.asarray(grads["d" + name] if "d" + name in grads else grads[name], dtype=float).reshape(-1)
        flat = theta.reshape(-1)
        idx = np.arange(flat.size)
        if n_checks is not None and n_checks < flat.size:
            idx = rng.choice(flat.size, size=n_checks, replace=False)
        num = np.zeros(len(idx))
        for k, j in enumerate(idx):
            old = flat[j]
            flat[j] = old + eps
            num[k] = (f(params) - f0) / eps
            flat[j] = old
        diff = np.max(np.abs(g[idx] - num))
        scale = max(np.max(np.abs(g[idx])), np.max(np.abs(num)))
        errors[name] = float(diff / scale) if scale > 0 else 0.0
    return errors
'''),
        Entry(function="grad_check", name="restore_by_arithmetic",
              bug="restores each entry by adding eps back instead of assigning the saved value (not bit-exact)",
              names=r"restor|exact|unchanged|put .{0,20}back|saved value|floating|bit",
              source='''def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    rng = rng if rng is not None else np.random.default_rng(0)
    errors = {}
    for name in params:
        theta = params[name]
        analytic = grads.get("d" + name, grads.get(name))
        analytic = np.asarray(analytic, dtype=float).reshape(-1)
        flat = theta.reshape(-1)
        if n_checks is None or n_checks >= flat.size:
            checked = range(flat.size)
        else:
            checked = rng.choice(flat.size, size=n_checks, replace=False)
        worst, biggest = 0.0, 0.0
        for j in checked:
            flat[j] += eps
            f_plus = f(params)
            flat[j] -= 2 * eps
            f_minus = f(params)
            flat[j] += eps
            numeric = (f_plus - f_minus) / (2 * eps)
            worst = max(worst, abs(analytic[j] - numeric))
            biggest = max(biggest, abs(analytic[j]), abs(numeric))
        errors[name] = worst / biggest if biggest > 0 else 0.0
    return errors
'''),
        Entry(function="grad_check", name="norm_based_error",
              bug="relative error as ||g - n|| / (||g|| + ||n||) (Euclidean norms) instead of the max formula",
              names=r"formula|norm|denominator|max",
              source='''def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    rng = np.random.default_rng(0) if rng is None else rng
    errors = {}
    for name, theta in params.items():
        key = "d" + name if "d" + name in grads else name
        g_all = np.asarray(grads[key], dtype=float).reshape(-1)
        flat = theta.reshape(-1)
        entries = np.arange(flat.size)
        if n_checks is not None and n_checks < flat.size:
            entries = rng.choice(flat.size, size=n_checks, replace=False)
        g = g_all[entries]
        n = np.zeros_like(g)
        for k, j in enumerate(entries):
            old = flat[j]
            flat[j] = old + eps
            f_plus = f(params)
            flat[j] = old - eps
            f_minus = f(params)
            flat[j] = old
            n[k] = (f_plus - f_minus) / (2 * eps)
        denom = np.linalg.norm(g) + np.linalg.norm(n)
        errors[name] = float(np.linalg.norm(g - n) / denom) if denom > 0 else 0.0
    return errors
'''),
        Entry(function="grad_check", name="flatten_copy",
              bug="perturbs theta.flatten(), a copy, so f never sees the change and every numerical gradient is 0",
              names=r"view|flatten|copy|perturb|f (does not|doesn't|never) see|numerical gradient (is )?(zero|0)",
              source='''def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    if rng is None:
        rng = np.random.default_rng(0)
    errors = {}
    for name, theta in params.items():
        analytic = grads["d" + name] if "d" + name in grads else grads[name]
        analytic = np.asarray(analytic, dtype=float).flatten()
        flat = theta.flatten()
        js = list(range(flat.size))
        if n_checks is not None and n_checks < flat.size:
            js = rng.choice(flat.size, size=n_checks, replace=False)
        max_diff = 0.0
        max_scale = 0.0
        for j in js:
            saved = flat[j]
            flat[j] = saved + eps
            fp = f(params)
            flat[j] = saved - eps
            fm = f(params)
            flat[j] = saved
            num = (fp - fm) / (2 * eps)
            max_diff = max(max_diff, abs(analytic[j] - num))
            max_scale = max(max_scale, abs(analytic[j]), abs(num))
        errors[name] = float(max_diff / max_scale) if max_scale > 0 else 0.0
    return errors
'''),
        Entry(function="grad_check", name="entrywise_relative_keyed_d",
              bug="two bugs: the max of per-entry relative errors, not a ratio of maxima; and errors keyed 'd' + name",
              names=r"formula|denominator|per.?entry|element.?wise|\bkey|keyed",
              source='''def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    rng = np.random.default_rng(0) if rng is None else rng
    errors = {}
    for name, theta in params.items():
        dname = "d" + name
        g = np.asarray(grads[dname] if dname in grads else grads[name], dtype=float).reshape(-1)
        flat = theta.reshape(-1)
        entries = range(flat.size)
        if n_checks is not None and n_checks < flat.size:
            entries = rng.choice(flat.size, size=n_checks, replace=False)
        worst = 0.0
        for j in entries:
            old = flat[j]
            flat[j] = old + eps
            up = f(params)
            flat[j] = old - eps
            down = f(params)
            flat[j] = old
            num = (up - down) / (2 * eps)
            scale = max(abs(g[j]), abs(num))
            if scale > 0:
                worst = max(worst, abs(g[j] - num) / scale)
        errors[dname] = float(worst)
    return errors
'''),
        # ---------------------------------------------------------------- train_binary_addition
        Entry(function="train_binary_addition", name="one_fixed_batch",
              bug="draws a single batch before the loop and trains on it for every step",
              names=r"fresh|same batch|new batch|each step|once|one batch|reus|overfit",
              source='''def train_binary_addition(n_steps, seed):
    rng = np.random.default_rng(seed)
    n_h, m, n_bits = 16, 32, 8
    params = init_params(2, n_h, 2, rng)
    adam = Adam(params, lr=0.05)
    x, y = binary_addition(m, n_bits, rng)
    h0 = np.zeros((n_h, m))
    for step in range(n_steps):
        h, rnn_cache = rnn_forward(x, h0, params)
        z, out_cache = output_forward(h, params)
        loss, dz = softmax_cross_entropy(z, y)
        grads = output_backward(dz, out_cache)
        grads.update(rnn_backward(grads["dh"], rnn_cache))
        adam.step(params, grads)
    return params
'''),
        Entry(function="train_binary_addition", name="gradient_ascent",
              bug="writes its own update params += lr * grad: climbs the loss instead of descending",
              names=r"sign|ascent|descent|subtract|minus|direction|uphill|increas",
              source='''def train_binary_addition(n_steps, seed):
    rng = np.random.default_rng(seed)
    params = init_params(2, 16, 2, rng)
    lr = 0.05
    for _ in range(n_steps):
        x, y = binary_addition(32, 8, rng)
        h, rnn_cache = rnn_forward(x, np.zeros((16, 32)), params)
        z, out_cache = output_forward(h, params)
        _, dz = softmax_cross_entropy(z, y)
        grads = output_backward(dz, out_cache)
        grads.update(rnn_backward(grads["dh"], rnn_cache))
        for name in params:
            params[name] += lr * grads["d" + name]
    return params
'''),
    ],
    "08-gru": [
        # ---------------------------------------------------------------- gru_cell_forward
        Entry(function="gru_cell_forward", name="pytorch_update_convention",
              bug="h_next = (1 - u) * h_tilde + u * h_prev: the other paper's convention for u",
              names=r"convention|swap|1 ?- ?u|update gate|interpolat|keeps?\b|copies",
              source='''def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    p = params
    u = sigmoid(p["Uu"] @ x_t + p["Wu"] @ h_prev + p["bu"])
    r = sigmoid(p["Ur"] @ x_t + p["Wr"] @ h_prev + p["br"])
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r, "params": params, "reset_after": reset_after}
    if reset_after:
        a_hh = p["Wh"] @ h_prev + p.get("bhh", 0.0)
        cache["a_hh"] = a_hh
        h_tilde = np.tanh(p["Uh"] @ x_t + p["bh"] + r * a_hh)
    else:
        h_tilde = np.tanh(p["Uh"] @ x_t + p["Wh"] @ (r * h_prev) + p["bh"])
    h_next = (1 - u) * h_tilde + u * h_prev
    cache["h_tilde"] = h_tilde
    cache["h_next"] = h_next
    return h_next, cache
'''),
        Entry(function="gru_cell_forward", name="reset_scales_product_in_book_form",
              bug="in the book's form applies r after Wh: r * (Wh h_prev) instead of Wh (r * h_prev)",
              names=r"reset|r ?\* ?h_prev|before|Wh ?\(r|order",
              source='''def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    Uu, Ur, Uh = params["Uu"], params["Ur"], params["Uh"]
    Wu, Wr, Wh = params["Wu"], params["Wr"], params["Wh"]
    bu, br, bh = params["bu"], params["br"], params["bh"]
    u = sigmoid(Uu @ x_t + Wu @ h_prev + bu)
    r = sigmoid(Ur @ x_t + Wr @ h_prev + br)
    cache = {}
    if reset_after:
        a_hh = Wh @ h_prev + params.get("bhh", 0.0)
        h_tilde = np.tanh(Uh @ x_t + bh + r * a_hh)
        cache["a_hh"] = a_hh
    else:
        h_tilde = np.tanh(Uh @ x_t + r * (Wh @ h_prev) + bh)
    h_next = u * h_tilde + (1 - u) * h_prev
    cache.update(x_t=x_t, h_prev=h_prev, u=u, r=r, h_tilde=h_tilde, h_next=h_next, params=params,
                 reset_after=reset_after)
    return h_next, cache
'''),
        Entry(function="gru_cell_forward", name="bhh_outside_reset",
              bug="reset-after form: adds bhh outside the reset gate, tanh(Uh x + bh + r * (Wh h) + bhh)",
              names=r"bhh|reset.?after|inside",
              source='''def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    p = params
    u = sigmoid(p["Uu"] @ x_t + p["Wu"] @ h_prev + p["bu"])
    r = sigmoid(p["Ur"] @ x_t + p["Wr"] @ h_prev + p["br"])
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r, "params": params, "reset_after": reset_after}
    if reset_after:
        bhh = p["bhh"] if "bhh" in p else 0.0
        a_hh = p["Wh"] @ h_prev
        h_tilde = np.tanh(p["Uh"] @ x_t + p["bh"] + r * a_hh + bhh)
        cache["a_hh"] = a_hh + bhh
    else:
        h_tilde = np.tanh(p["Uh"] @ x_t + p["Wh"] @ (r * h_prev) + p["bh"])
    h_next = u * h_tilde + (1 - u) * h_prev
    cache["h_tilde"], cache["h_next"] = h_tilde, h_next
    return h_next, cache
'''),
        Entry(function="gru_cell_forward", name="reset_gate_reads_Wz",
              bug="copy-paste slip: the reset gate uses Wu instead of Wr",
              names=r"reset gate|\bWr\b|\bWz\b|copy|\br\b",
              source='''def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    p = params
    u = sigmoid(np.dot(p["Uu"], x_t) + np.dot(p["Wu"], h_prev) + p["bu"])
    r = sigmoid(np.dot(p["Ur"], x_t) + np.dot(p["Wu"], h_prev) + p["br"])
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r, "params": params, "reset_after": reset_after}
    if reset_after:
        cache["a_hh"] = np.dot(p["Wh"], h_prev) + p.get("bhh", 0.0)
        h_tilde = np.tanh(np.dot(p["Uh"], x_t) + p["bh"] + r * cache["a_hh"])
    else:
        h_tilde = np.tanh(np.dot(p["Uh"], x_t) + np.dot(p["Wh"], r * h_prev) + p["bh"])
    h_next = u * h_tilde + (1 - u) * h_prev
    cache["h_tilde"] = h_tilde
    cache["h_next"] = h_next
    return h_next, cache
'''),
        Entry(function="gru_cell_forward", name="sigmoid_sign_no_flag",
              bug="two bugs: its own sigmoid 1 / (1 + exp(a)) (sign slip: sigmoid(-a)); no 'reset_after' in the cache",
              names=r"sigmoid|exp\(-|sign|cache|reset_after|flag",
              source='''def gru_cell_forward(x_t, h_prev, params, reset_after=False):
    def sig(a):
        return 1.0 / (1.0 + np.exp(a))

    p = params
    u = sig(p["Uu"] @ x_t + p["Wu"] @ h_prev + p["bu"])
    r = sig(p["Ur"] @ x_t + p["Wr"] @ h_prev + p["br"])
    cache = {"x_t": x_t, "h_prev": h_prev, "u": u, "r": r, "params": params}
    if reset_after:
        a_hh = p["Wh"] @ h_prev + p.get("bhh", 0.0)
        cache["a_hh"] = a_hh
        h_tilde = np.tanh(p["Uh"] @ x_t + p["bh"] + r * a_hh)
    else:
        h_tilde = np.tanh(p["Uh"] @ x_t + p["Wh"] @ (r * h_prev) + p["bh"])
    h_next = u * h_tilde + (1 - u) * h_prev
    cache.update({"h_tilde": h_tilde, "h_next": h_next})
    return h_next, cache
'''),
        # ---------------------------------------------------------------- gru_forward
        Entry(function="gru_forward", name="gates_not_stacked",
              bug="puts only the last step's gates and candidate in the cache instead of stacking them over time",
              names=r"stack|over time|every step|each step|\(n_h, ?m, ?T\)|last step",
              source='''def gru_forward(x, h0, params, reset_after=False):
    n_x, m, T = x.shape
    h = np.zeros((h0.shape[0], m, T))
    h_t = h0
    for t in range(T):
        h_t, step = gru_cell_forward(x[:, :, t], h_t, params, reset_after)
        h[:, :, t] = h_t
    cache = {"x": x, "h0": h0, "h": h, "params": params, "reset_after": reset_after,
             "u": step["u"], "r": step["r"], "h_tilde": step["h_tilde"]}
    if reset_after:
        cache["a_hh"] = step["a_hh"]
    return h, cache
'''),
        Entry(function="gru_forward", name="flag_not_passed",
              bug="calls gru_cell_forward without reset_after, so the reset-after form runs the book's form",
              names=r"reset.?after|flag|argument",
              source='''def gru_forward(x, h0, params, reset_after=False):
    n_h = h0.shape[0]
    m, T = x.shape[1], x.shape[2]
    h = np.zeros((n_h, m, T))
    cache = {"x": x, "h0": h0, "params": params, "reset_after": reset_after}
    h_t = h0
    for t in range(T):
        h_t, step = gru_cell_forward(x[:, :, t], h_t, params)
        h[:, :, t] = h_t
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in step:
                if k not in cache:
                    cache[k] = np.zeros((n_h, m, T))
                cache[k][:, :, t] = step[k]
    cache["h"] = h
    return h, cache
'''),
        Entry(function="gru_forward", name="one_array_for_all_gates",
              bug="dict.fromkeys(names, np.zeros(...)) makes u, r, h_tilde (and a_hh) one shared array",
              names=r"alias|same array|shared|one array|dict\.fromkeys|cache.{0,40}(\bu\b|\br\b|gate)"
                    r"|(\bu\b|\br\b|gate).{0,40}cache",
              source='''def gru_forward(x, h0, params, reset_after=False):
    n_h = h0.shape[0]
    _, m, T = x.shape
    keys = ["u", "r", "h_tilde"]
    if reset_after:
        keys.append("a_hh")
    stored = dict.fromkeys(keys, np.zeros((n_h, m, T)))
    h = np.zeros((n_h, m, T))
    h_t = h0
    for t in range(T):
        h_t, step = gru_cell_forward(x[:, :, t], h_t, params, reset_after)
        h[:, :, t] = h_t
        for k in keys:
            stored[k][:, :, t] = step[k]
    return h, {"x": x, "h0": h0, "h": h, "params": params, "reset_after": reset_after, **stored}
'''),
        Entry(function="gru_forward", name="state_before_step_h0_key",
              bug="two bugs: stores the state before each step (h[:, :, 0] = h0), and the cache names h0 'h_0'",
              names=r"off.by.one|after|before|shift|lag|\bh_?0\b|cache|key",
              source='''def gru_forward(x, h0, params, reset_after=False):
    n_h = h0.shape[0]
    n_x, m, T = x.shape
    h = np.zeros((n_h, m, T))
    u = np.zeros((n_h, m, T))
    r = np.zeros((n_h, m, T))
    h_tilde = np.zeros((n_h, m, T))
    a_hh = np.zeros((n_h, m, T))
    h_prev = h0
    for t in range(T):
        h[:, :, t] = h_prev
        h_prev, c = gru_cell_forward(x[:, :, t], h_prev, params, reset_after)
        u[:, :, t], r[:, :, t], h_tilde[:, :, t] = c["u"], c["r"], c["h_tilde"]
        if reset_after:
            a_hh[:, :, t] = c["a_hh"]
    cache = {"x": x, "h_0": h0, "u": u, "r": r, "h_tilde": h_tilde, "h": h, "params": params,
             "reset_after": reset_after}
    if reset_after:
        cache["a_hh"] = a_hh
    return h, cache
'''),
        # ---------------------------------------------------------------- gru_cell_backward
        Entry(function="gru_cell_backward", name="dWh_with_h_prev",
              bug="book's form: dWh = da_h h_prev^T instead of da_h (r * h_prev)^T",
              names=r"\bdWh\b|r ?\* ?h_prev|\bs\b|reset",
              source='''def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = cache["x_t"], cache["h_prev"], cache["u"], cache["r"], cache["h_tilde"]
    da_h = dh_next * u * (1 - h_tilde ** 2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    dh_prev = dh_next * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev = dh_prev + p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = np.sum(da_hh, axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev = dh_prev + ds * r
        grads["dWh"] = da_h @ h_prev.T
    da_r = dr * r * (1 - r)
    dh_prev = dh_prev + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dh_prev"] = dh_prev
    grads["dUu"], grads["dUr"], grads["dUh"] = da_u @ x_t.T, da_r @ x_t.T, da_h @ x_t.T
    grads["dWu"], grads["dWr"] = da_u @ h_prev.T, da_r @ h_prev.T
    grads["dbu"] = np.sum(da_u, axis=1, keepdims=True)
    grads["dbr"] = np.sum(da_r, axis=1, keepdims=True)
    grads["dbh"] = np.sum(da_h, axis=1, keepdims=True)
    return grads
'''),
        Entry(function="gru_cell_backward", name="memory_path_missing",
              bug="dh_prev leaves out the memory path dh_next * (1 - u)",
              names=r"memory|1 ?- ?u|direct|route|path",
              source='''def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = (cache[k] for k in ("x_t", "h_prev", "u", "r", "h_tilde"))
    da_h = dh_next * u * (1 - h_tilde ** 2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev = p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev = ds * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    dh_prev = dh_prev + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dh_prev"] = dh_prev
    for g, da in (("u", da_u), ("r", da_r), ("h", da_h)):
        grads["dU" + g] = da @ x_t.T
        grads["db" + g] = da.sum(axis=1, keepdims=True)
    grads["dWu"] = da_u @ h_prev.T
    grads["dWr"] = da_r @ h_prev.T
    return grads
'''),
        Entry(function="gru_cell_backward", name="reset_after_uses_book_dr",
              bug="reset-after form: computes dr as (Wh^T da_h) * h_prev, the book form's formula, not da_h * a_hh",
              names=r"reset.?after|\bdr\b|a_hh|reset gate|\bdbr\b|\bdUr\b|\bdWr\b",
              source='''def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev = cache["x_t"], cache["h_prev"]
    u, r, h_tilde = cache["u"], cache["r"], cache["h_tilde"]
    da_h = dh_next * u * (1 - h_tilde ** 2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    dr = (p["Wh"].T @ da_h) * h_prev
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        cand = p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        cand = (p["Wh"].T @ da_h) * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    grads["dh_prev"] = dh_next * (1 - u) + cand + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dUu"] = da_u @ x_t.T
    grads["dUr"] = da_r @ x_t.T
    grads["dUh"] = da_h @ x_t.T
    grads["dWu"] = da_u @ h_prev.T
    grads["dWr"] = da_r @ h_prev.T
    grads["dbu"] = da_u.sum(axis=1, keepdims=True)
    grads["dbr"] = da_r.sum(axis=1, keepdims=True)
    grads["dbh"] = da_h.sum(axis=1, keepdims=True)
    return grads
'''),
        Entry(function="gru_cell_backward", name="dbhh_without_r",
              bug="reset-after form: dbhh sums da_h instead of da_hh = da_h * r",
              names=r"\bdbhh\b|\bbhh\b",
              source='''def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = (cache[k] for k in ("x_t", "h_prev", "u", "r", "h_tilde"))
    da_h = dh_next * u * (1 - h_tilde**2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    dh_prev = dh_next * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev = dh_prev + p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = da_h.sum(axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev = dh_prev + ds * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    dh_prev = dh_prev + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dh_prev"] = dh_prev
    for g, da in (("u", da_u), ("r", da_r), ("h", da_h)):
        grads["dU" + g] = da @ x_t.T
        grads["db" + g] = da.sum(axis=1, keepdims=True)
    grads["dWu"] = da_u @ h_prev.T
    grads["dWr"] = da_r @ h_prev.T
    return grads
'''),
        Entry(function="gru_cell_backward", name="update_gate_sign_flipped",
              bug="da_u = dh * (h_prev - h_tilde) * u (1 - u): the difference the wrong way round",
              names=r"update gate|da_u|\bdUz\b|\bdWz\b|\bdbz\b|sign|h_tilde ?- ?h_prev",
              source='''def gru_cell_backward(dh_next, cache):
    params = cache["params"]
    x_t, h_prev = cache["x_t"], cache["h_prev"]
    u, r, h_tilde = cache["u"], cache["r"], cache["h_tilde"]
    du = dh_next * (h_prev - h_tilde)
    da_u = du * u * (1 - u)
    dh_tilde = dh_next * u
    da_h = dh_tilde * (1 - h_tilde ** 2)
    dh_prev = dh_next * (1 - u)
    out = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev += params["Wh"].T @ da_hh
        out["dWh"] = da_hh @ h_prev.T
        if "bhh" in params:
            out["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = params["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev += ds * r
        out["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * r * (1 - r)
    dh_prev += params["Wu"].T @ da_u + params["Wr"].T @ da_r
    out["dh_prev"] = dh_prev
    out["dx_t"] = params["Uu"].T @ da_u + params["Ur"].T @ da_r + params["Uh"].T @ da_h
    out["dUu"], out["dWu"], out["dbu"] = da_u @ x_t.T, da_u @ h_prev.T, da_u.sum(axis=1, keepdims=True)
    out["dUr"], out["dWr"], out["dbr"] = da_r @ x_t.T, da_r @ h_prev.T, da_r.sum(axis=1, keepdims=True)
    out["dUh"], out["dbh"] = da_h @ x_t.T, da_h.sum(axis=1, keepdims=True)
    return out
'''),
        Entry(function="gru_cell_backward", name="reset_tanh_derivative_dbz_scalar",
              bug="two bugs: the reset gate's derivative as 1 - r**2 (tanh's), and dbu summed to a scalar",
              names=r"reset|derivative|sigmoid|\bdbr\b|\bdbz\b|\(n_h, ?1\)|keepdims|scalar",
              source='''def gru_cell_backward(dh_next, cache):
    p = cache["params"]
    x_t, h_prev, u, r, h_tilde = (cache[k] for k in ("x_t", "h_prev", "u", "r", "h_tilde"))
    da_h = dh_next * u * (1 - h_tilde ** 2)
    da_u = dh_next * (h_tilde - h_prev) * u * (1 - u)
    dh_prev = dh_next * (1 - u)
    grads = {}
    if cache["reset_after"]:
        da_hh = da_h * r
        dr = da_h * cache["a_hh"]
        dh_prev = dh_prev + p["Wh"].T @ da_hh
        grads["dWh"] = da_hh @ h_prev.T
        if "bhh" in p:
            grads["dbhh"] = da_hh.sum(axis=1, keepdims=True)
    else:
        ds = p["Wh"].T @ da_h
        dr = ds * h_prev
        dh_prev = dh_prev + ds * r
        grads["dWh"] = da_h @ (r * h_prev).T
    da_r = dr * (1 - r ** 2)
    dh_prev = dh_prev + p["Wu"].T @ da_u + p["Wr"].T @ da_r
    grads["dx_t"] = p["Uu"].T @ da_u + p["Ur"].T @ da_r + p["Uh"].T @ da_h
    grads["dh_prev"] = dh_prev
    grads["dUu"] = da_u @ x_t.T
    grads["dUr"] = da_r @ x_t.T
    grads["dUh"] = da_h @ x_t.T
    grads["dWu"] = da_u @ h_prev.T
    grads["dWr"] = da_r @ h_prev.T
    grads["dbu"] = np.sum(da_u)
    grads["dbr"] = np.sum(da_r, axis=1, keepdims=True)
    grads["dbh"] = np.sum(da_h, axis=1, keepdims=True)
    return grads
'''),
        # ---------------------------------------------------------------- gru_backward
        Entry(function="gru_backward", name="first_step_wraps",
              bug="uses h[:, :, t-1] as the previous state at t = 0 too, which is the last state, not h0",
              names=r"\bh0\b|first step|previous state|wrap|last state|h\[:, ?:, ?-1\]",
              source='''def gru_backward(dh, cache):
    x, h, params = cache["x"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    carry = np.zeros_like(cache["h0"])
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1], "params": params, "reset_after": cache["reset_after"],
                "u": cache["u"][:, :, t], "r": cache["r"][:, :, t], "h_tilde": cache["h_tilde"][:, :, t]}
        if cache["reset_after"]:
            step["a_hh"] = cache["a_hh"][:, :, t]
        g = gru_cell_backward(dh[:, :, t] + carry, step)
        dx[:, :, t] = g.pop("dx_t")
        carry = g.pop("dh_prev")
        for k in g:
            grads[k] += g[k]
    grads["dx"] = dx
    grads["dh0"] = carry
    return grads
'''),
        Entry(function="gru_backward", name="param_grads_overwritten",
              bug="assigns each step's parameter gradients (=) instead of adding them up over time",
              names=r"accumul|summ?(ed)? over (time|the steps|all)|\+=|overwrit|all (the )?(time )?steps|every step"
                    r"|only (the )?(first|one|last) step|shared across time|add(ed)? up",
              source='''def gru_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    out = {}
    dx = np.zeros_like(x)
    dh_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0, "params": params,
                "reset_after": cache["reset_after"]}
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in cache:
                step[k] = cache[k][:, :, t]
        g = gru_cell_backward(dh[:, :, t] + dh_next, step)
        dx[:, :, t] = g["dx_t"]
        dh_next = g["dh_prev"]
        for k, v in g.items():
            if k not in ("dx_t", "dh_prev"):
                out[k] = v
    out["dx"] = dx
    out["dh0"] = dh_next
    return out
'''),
        Entry(function="gru_backward", name="a_hh_not_passed",
              bug="the per-step cache leaves out a_hh, so the reset-after form cannot be run backwards",
              names=r"a_hh|reset.?after",
              source='''def gru_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0, "params": params,
                "reset_after": cache["reset_after"], "u": cache["u"][:, :, t], "r": cache["r"][:, :, t],
                "h_tilde": cache["h_tilde"][:, :, t]}
        g = gru_cell_backward(dh[:, :, t] + dh_prev, step)
        dx[:, :, t] = g.pop("dx_t")
        dh_prev = g.pop("dh_prev")
        for k, v in g.items():
            grads[k] += v
    return {"dx": dx, "dh0": dh_prev, **grads}
'''),
        Entry(function="gru_backward", name="h_prev_is_h_next_dh0_key",
              bug="two bugs: the step's previous state is h[:, :, t] (its own new state), and dh0 returned as 'dh_0'",
              names=r"h_prev|previous state|\bdh_?0\b|\bkey",
              source='''def gru_backward(dh, cache):
    x, h, params = cache["x"], cache["h"], cache["params"]
    n_x, m, T = x.shape
    grads = {"d" + name: np.zeros(value.shape) for name, value in params.items()}
    grads["dx"] = np.zeros((n_x, m, T))
    dh_carry = np.zeros(cache["h0"].shape)
    for t in range(T - 1, -1, -1):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t], "params": params, "reset_after": cache["reset_after"]}
        for k in ("u", "r", "h_tilde", "a_hh"):
            if k in cache:
                step[k] = cache[k][:, :, t]
        g = gru_cell_backward(dh[:, :, t] + dh_carry, step)
        grads["dx"][:, :, t] = g["dx_t"]
        dh_carry = g["dh_prev"]
        for name in g:
            if name in grads:
                grads[name] += g[name]
    grads["dh_0"] = dh_carry
    return grads
'''),
    ],
    "09-lstm": [
        # ---------------------------------------------------------------- lstm_cell_forward
        Entry(function="lstm_cell_forward", name="hidden_without_tanh",
              bug="h_next = o * c_next: the cell state is not squashed",
              names=r"tanh\(c|tanh|squash|read.?out",
              source='''def lstm_cell_forward(x_t, h_prev, c_prev, params):
    p = params
    i = sigmoid(p["Ui"] @ x_t + p["Wi"] @ h_prev + p["bi"])
    f = sigmoid(p["Uf"] @ x_t + p["Wf"] @ h_prev + p["bf"])
    g = np.tanh(p["Ug"] @ x_t + p["Wg"] @ h_prev + p["bg"])
    o = sigmoid(p["Uo"] @ x_t + p["Wo"] @ h_prev + p["bo"])
    c_next = f * c_prev + i * g
    h_next = o * c_next
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "i": i, "f": f, "g": g, "o": o,
             "c_next": c_next, "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
        Entry(function="lstm_cell_forward", name="forget_and_input_swapped",
              bug="c_next = i * c_prev + f * g: the forget and input gates in each other's place",
              names=r"forget|input gate|swap|\bf\b|\bi\b",
              source='''def lstm_cell_forward(x_t, h_prev, c_prev, params):
    gates = {}
    for k in "ifgo":
        a = params["U" + k] @ x_t + params["W" + k] @ h_prev + params["b" + k]
        gates[k] = np.tanh(a) if k == "g" else sigmoid(a)
    i, f, g, o = gates["i"], gates["f"], gates["g"], gates["o"]
    c_next = i * c_prev + f * g
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, **gates, "c_next": c_next, "h_next": h_next,
             "params": params}
    return h_next, c_next, cache
'''),
        Entry(function="lstm_cell_forward", name="hidden_reads_old_cell",
              bug="h_next = o * tanh(c_prev) instead of tanh(c_next)",
              names=r"c_prev|c_next|new cell|old cell|tanh\(c",
              source='''def lstm_cell_forward(x_t, h_prev, c_prev, params):
    p = params
    i = sigmoid(np.dot(p["Ui"], x_t) + np.dot(p["Wi"], h_prev) + p["bi"])
    f = sigmoid(np.dot(p["Uf"], x_t) + np.dot(p["Wf"], h_prev) + p["bf"])
    o = sigmoid(np.dot(p["Uo"], x_t) + np.dot(p["Wo"], h_prev) + p["bo"])
    g = np.tanh(np.dot(p["Ug"], x_t) + np.dot(p["Wg"], h_prev) + p["bg"])
    h_next = o * np.tanh(c_prev)
    c_next = f * c_prev + i * g
    cache = dict(x_t=x_t, h_prev=h_prev, c_prev=c_prev, i=i, f=f, g=g, o=o, c_next=c_next, h_next=h_next,
                 params=params)
    return h_next, c_next, cache
'''),
        Entry(function="lstm_cell_forward", name="cache_preactivations",
              bug="stores the gates' pre-activations (before sigmoid/tanh) in the cache under i, f, g, o",
              names=r"pre.?activ|cache|before the (sigmoid|nonlinear|activation)",
              source='''def lstm_cell_forward(x_t, h_prev, c_prev, params):
    a = {k: params["U" + k] @ x_t + params["W" + k] @ h_prev + params["b" + k] for k in "ifgo"}
    i, f, o = sigmoid(a["i"]), sigmoid(a["f"]), sigmoid(a["o"])
    g = np.tanh(a["g"])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev, "c_next": c_next, "h_next": h_next,
             "params": params}
    cache.update(a)
    return h_next, c_next, cache
'''),
        Entry(function="lstm_cell_forward", name="output_gate_Wi_no_c_prev",
              bug="two bugs: the output gate uses Wi (copy-paste), and the cache has no 'c_prev'",
              names=r"output gate|\bWo\b|\bWi\b|\bo\b|cache|c_prev",
              source='''def lstm_cell_forward(x_t, h_prev, c_prev, params):
    p = params
    i = sigmoid(p["Ui"] @ x_t + p["Wi"] @ h_prev + p["bi"])
    f = sigmoid(p["Uf"] @ x_t + p["Wf"] @ h_prev + p["bf"])
    g = np.tanh(p["Ug"] @ x_t + p["Wg"] @ h_prev + p["bg"])
    o = sigmoid(p["Uo"] @ x_t + p["Wi"] @ h_prev + p["bo"])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    cache = {"x_t": x_t, "h_prev": h_prev, "i": i, "f": f, "g": g, "o": o, "c_next": c_next,
             "h_next": h_next, "params": params}
    return h_next, c_next, cache
'''),
        # ---------------------------------------------------------------- lstm_forward
        Entry(function="lstm_forward", name="cell_state_not_carried", bug="passes c0 at every step; only h is carried",
              names=r"\bc0\b|cell state|carr|c_prev",
              source='''def lstm_forward(x, h0, c0, params):
    n_h = h0.shape[0]
    _, m, T = x.shape
    out = {k: np.zeros((n_h, m, T)) for k in ("i", "f", "g", "o", "c", "h")}
    h_t = h0
    for t in range(T):
        h_t, c_t, step = lstm_cell_forward(x[:, :, t], h_t, c0, params)
        for k in "ifgo":
            out[k][:, :, t] = step[k]
        out["h"][:, :, t] = h_t
        out["c"][:, :, t] = c_t
    cache = {"x": x, "h0": h0, "c0": c0, "params": params, **out}
    return out["h"], out["c"], cache
'''),
        Entry(function="lstm_forward", name="states_swapped_in_call",
              bug="calls lstm_cell_forward(x_t, c_t, h_t, params): hidden and cell state in each other's argument",
              names=r"swap|order|argument|h_prev|c_prev",
              source='''def lstm_forward(x, h0, c0, params):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T))
    c = np.zeros((n_h, m, T))
    gates = {k: np.zeros((n_h, m, T)) for k in "ifgo"}
    h_t, c_t = h0, c0
    for t in range(T):
        h_t, c_t, step = lstm_cell_forward(x[:, :, t], c_t, h_t, params)
        h[:, :, t] = h_t
        c[:, :, t] = c_t
        for k in "ifgo":
            gates[k][:, :, t] = step[k]
    cache = {"x": x, "h0": h0, "c0": c0, "h": h, "c": c, "params": params}
    cache.update(gates)
    return h, c, cache
'''),
        Entry(function="lstm_forward", name="returns_c_then_h", bug="returns (c, h, cache) instead of (h, c, cache)",
              names=r"swap|order|return|\bh and c\b|\bc and h\b",
              source='''def lstm_forward(x, h0, c0, params):
    n_h, (n_x, m, T) = h0.shape[0], x.shape
    out = {k: np.zeros((n_h, m, T)) for k in ("i", "f", "g", "o", "c", "h")}
    h_t, c_t = h0, c0
    for t in range(T):
        h_t, c_t, step = lstm_cell_forward(x[:, :, t], h_t, c_t, params)
        for k in "ifgo":
            out[k][:, :, t] = step[k]
        out["h"][:, :, t] = h_t
        out["c"][:, :, t] = c_t
    cache = {"x": x, "h0": h0, "c0": c0, "params": params, **out}
    return out["c"], out["h"], cache
'''),
        Entry(function="lstm_forward", name="last_step_missing_no_c0",
              bug="two bugs: loops over range(T - 1), leaving the last step at zero, and the cache has no 'c0'",
              names=r"last (time )?step|range|T ?- ?1|\bc0\b|cache",
              source='''def lstm_forward(x, h0, c0, params):
    n_h = h0.shape[0]
    m, T = x.shape[1], x.shape[2]
    h, c = np.zeros((n_h, m, T)), np.zeros((n_h, m, T))
    i, f, g, o = (np.zeros((n_h, m, T)) for _ in range(4))
    h_t, c_t = h0, c0
    for t in range(T - 1):
        h_t, c_t, cc = lstm_cell_forward(x[:, :, t], h_t, c_t, params)
        h[:, :, t], c[:, :, t] = h_t, c_t
        i[:, :, t], f[:, :, t], g[:, :, t], o[:, :, t] = cc["i"], cc["f"], cc["g"], cc["o"]
    cache = {"x": x, "h0": h0, "i": i, "f": f, "g": g, "o": o, "c": c, "h": h, "params": params}
    return h, c, cache
'''),
        # ---------------------------------------------------------------- lstm_cell_backward
        Entry(function="lstm_cell_backward", name="dc_ignores_dh",
              bug="dc = dc_next only: leaves out the route through h_next, dh * o * (1 - tanh(c)**2)",
              names=r"both uses|two (routes|paths|uses)|dh_next ?\* ?o|through h|route|path|\bdc\b",
              source='''def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    tanh_c = np.tanh(cache["c_next"])
    dc = dc_next
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
        grads["db" + k] = da[k].sum(axis=1, keepdims=True)
    return grads
'''),
        Entry(function="lstm_cell_backward", name="da_o_without_tanh",
              bug="da_o = dh * c_next * o (1 - o): uses the cell state instead of tanh(c_next)",
              names=r"da_o|output gate|\bdUo\b|\bdWo\b|\bdbo\b|tanh\(c",
              source='''def lstm_cell_backward(dh_next, dc_next, cache):
    params = cache["params"]
    x_t, h_prev, c_prev, c_next = cache["x_t"], cache["h_prev"], cache["c_prev"], cache["c_next"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    dc = dc_next + dh_next * o * (1 - np.tanh(c_next) ** 2)
    da_i = dc * g * i * (1 - i)
    da_f = dc * c_prev * f * (1 - f)
    da_g = dc * i * (1 - g ** 2)
    da_o = dh_next * c_next * o * (1 - o)
    grads = {"dc_prev": dc * f, "dx_t": 0, "dh_prev": 0}
    for k, da in zip("ifgo", (da_i, da_f, da_g, da_o)):
        grads["dx_t"] = grads["dx_t"] + params["U" + k].T @ da
        grads["dh_prev"] = grads["dh_prev"] + params["W" + k].T @ da
        grads["dU" + k] = da @ x_t.T
        grads["dW" + k] = da @ h_prev.T
        grads["db" + k] = np.sum(da, axis=1, keepdims=True)
    return grads
'''),
        Entry(function="lstm_cell_backward", name="highway_squashed",
              bug="dc_prev = dc * f * (1 - tanh(c_next)**2): a squashing derivative on the cell-state highway",
              names=r"dc_prev|highway|forget|\bf\b",
              source='''def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    i, f, g, o = (cache[k] for k in "ifgo")
    tc = np.tanh(cache["c_next"])
    dtanh = 1 - tc ** 2
    dc = dc_next + dh_next * o * dtanh
    da = {"i": dc * g * i * (1 - i), "f": dc * cache["c_prev"] * f * (1 - f),
          "g": dc * i * (1 - g ** 2), "o": dh_next * tc * o * (1 - o)}
    grads = {"dx_t": sum(p["U" + k].T @ da[k] for k in "ifgo"),
             "dh_prev": sum(p["W" + k].T @ da[k] for k in "ifgo"),
             "dc_prev": dc * f * dtanh}
    for k in "ifgo":
        grads["dU" + k] = da[k] @ cache["x_t"].T
        grads["dW" + k] = da[k] @ cache["h_prev"].T
        grads["db" + k] = da[k].sum(axis=1, keepdims=True)
    return grads
'''),
        Entry(function="lstm_cell_backward", name="tanh_derivative_of_raw_c",
              bug="dc gets dh * o * (1 - c_next**2): the tanh derivative written with c, not tanh(c)",
              names=r"tanh|derivative|c_next",
              source='''def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    i, f, g, o, c = cache["i"], cache["f"], cache["g"], cache["o"], cache["c_next"]
    dc = dc_next + dh_next * o * (1 - c ** 2)
    da_i = dc * g * i * (1 - i)
    da_f = dc * cache["c_prev"] * f * (1 - f)
    da_g = dc * i * (1 - g ** 2)
    da_o = dh_next * np.tanh(c) * o * (1 - o)
    das = {"i": da_i, "f": da_f, "g": da_g, "o": da_o}
    grads = {"dx_t": np.zeros_like(cache["x_t"]), "dh_prev": np.zeros_like(cache["h_prev"]), "dc_prev": dc * f}
    for k, da in das.items():
        grads["dx_t"] += p["U" + k].T @ da
        grads["dh_prev"] += p["W" + k].T @ da
        grads["dU" + k] = da @ cache["x_t"].T
        grads["dW" + k] = da @ cache["h_prev"].T
        grads["db" + k] = da.sum(axis=1, keepdims=True)
    return grads
'''),
        Entry(function="lstm_cell_backward", name="da_f_c_next_dx_missing_Uo",
              bug="two bugs: da_f uses c_next instead of c_prev, and dx_t leaves out the output gate's Uo^T da_o",
              names=r"da_f|forget|c_prev|dx_t|\bUo\b|output gate",
              source='''def lstm_cell_backward(dh_next, dc_next, cache):
    p = cache["params"]
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    tanh_c = np.tanh(cache["c_next"])
    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)
    da_i = dc * g * i * (1 - i)
    da_f = dc * cache["c_next"] * f * (1 - f)
    da_g = dc * i * (1 - g ** 2)
    da_o = dh_next * tanh_c * o * (1 - o)
    dx_t = p["Ui"].T @ da_i + p["Uf"].T @ da_f + p["Ug"].T @ da_g
    dh_prev = p["Wi"].T @ da_i + p["Wf"].T @ da_f + p["Wg"].T @ da_g + p["Wo"].T @ da_o
    grads = {"dx_t": dx_t, "dh_prev": dh_prev, "dc_prev": dc * f}
    for k, da in (("i", da_i), ("f", da_f), ("g", da_g), ("o", da_o)):
        grads["dU" + k] = da @ cache["x_t"].T
        grads["dW" + k] = da @ cache["h_prev"].T
        grads["db" + k] = da.sum(axis=1, keepdims=True)
    return grads
'''),
        # ---------------------------------------------------------------- lstm_backward
        Entry(function="lstm_backward", name="cell_gradient_dropped",
              bug="passes zeros as dc_next at every step: the cell-state gradient is never carried back",
              names=r"\bdc|cell.?state|carr|highway",
              source='''def lstm_backward(dh, cache):
    x, h0, c0, h, c, params = (cache[k] for k in ("x", "h0", "c0", "h", "c", "params"))
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        step = {k: cache[k][:, :, t] for k in "ifgo"}
        step["x_t"] = x[:, :, t]
        step["h_prev"] = h[:, :, t - 1] if t > 0 else h0
        step["c_prev"] = c[:, :, t - 1] if t > 0 else c0
        step["c_next"] = c[:, :, t]
        step["params"] = params
        g = lstm_cell_backward(dh[:, :, t] + dh_prev, np.zeros_like(c0), step)
        dx[:, :, t] = g.pop("dx_t")
        dh_prev = g.pop("dh_prev")
        dc0 = g.pop("dc_prev")
        for k, v in g.items():
            grads[k] += v
    return {"dx": dx, "dh0": dh_prev, "dc0": dc0, **grads}
'''),
        Entry(function="lstm_backward", name="c_prev_wraps",
              bug="c_prev is c[:, :, t-1] at t = 0 too (the last cell state), though h_prev correctly uses h0",
              names=r"\bc0\b|c_prev|first step|wrap|last (step|state)|c\[:, ?:, ?-1\]|previous cell",
              source='''def lstm_backward(dh, cache):
    x, h, c, params = cache["x"], cache["h"], cache["c"], cache["params"]
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dh_next = np.zeros_like(cache["h0"])
    dc_next = np.zeros_like(cache["c0"])
    for t in reversed(range(T)):
        step = {k: cache[k][:, :, t] for k in "ifgo"}
        step.update({"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else cache["h0"],
                     "c_prev": c[:, :, t - 1], "c_next": c[:, :, t], "params": params})
        g = lstm_cell_backward(dh[:, :, t] + dh_next, dc_next, step)
        dx[:, :, t] = g.pop("dx_t")
        dh_next, dc_next = g.pop("dh_prev"), g.pop("dc_prev")
        for k, v in g.items():
            grads[k] += v
    return {"dx": dx, "dh0": dh_next, "dc0": dc_next, **grads}
'''),
        Entry(function="lstm_backward", name="carried_gradients_swapped",
              bug="adds the carried dc_prev to dh and passes the carried dh_prev as dc_next (swapped)",
              names=r"swap|order|argument|\bdc|dh_prev",
              source='''def lstm_backward(dh, cache):
    x, h0, c0, h, c, params = (cache[k] for k in ("x", "h0", "c0", "h", "c", "params"))
    n_x, m, T = x.shape
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros((n_x, m, T))
    dh_prev = np.zeros_like(h0)
    dc_prev = np.zeros_like(c0)
    for t in reversed(range(T)):
        step = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0,
                "c_prev": c[:, :, t - 1] if t > 0 else c0, "c_next": c[:, :, t], "params": params}
        for k in "ifgo":
            step[k] = cache[k][:, :, t]
        g = lstm_cell_backward(dh[:, :, t] + dc_prev, dh_prev, step)
        dx[:, :, t] = g["dx_t"]
        dh_prev = g["dh_prev"]
        dc_prev = g["dc_prev"]
        for k in grads:
            grads[k] += g[k]
    return {"dx": dx, "dh0": dh_prev, "dc0": dc_prev, **grads}
'''),
        Entry(function="lstm_backward", name="dh_accumulated_in_place",
              bug="adds each step's dh_prev into the caller's dh in place",
              names=IN_PLACE,
              source='''def lstm_backward(dh, cache):
    x, h0, c0, h, c, params = (cache[k] for k in ("x", "h0", "c0", "h", "c", "params"))
    T = x.shape[2]
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    dx = np.zeros_like(x)
    dc_next = np.zeros_like(c0)
    for t in reversed(range(T)):
        step = {k: cache[k][:, :, t] for k in "ifgo"}
        step.update({"x_t": x[:, :, t], "h_prev": h[:, :, t - 1] if t > 0 else h0,
                     "c_prev": c[:, :, t - 1] if t > 0 else c0, "c_next": c[:, :, t], "params": params})
        g = lstm_cell_backward(dh[:, :, t], dc_next, step)
        dx[:, :, t] = g.pop("dx_t")
        dc_next = g.pop("dc_prev")
        dh_prev = g.pop("dh_prev")
        if t > 0:
            dh[:, :, t - 1] += dh_prev
        for k, v in g.items():
            grads[k] += v
    return {"dx": dx, "dh0": dh_prev, "dc0": dc_next, **grads}
'''),
        Entry(function="lstm_backward", name="grads_overwritten_dc0_key",
              bug="two bugs: parameter gradients assigned (=) at each step, not summed, and dc0 returned as 'dc_0'",
              names=r"\bdc_?0\b|\bkey|accumul|\+=|overwrit|over time|every step|all (the )?steps|summ?(ed)? over",
              source='''def lstm_backward(dh, cache):
    x, h, c, params = cache["x"], cache["h"], cache["c"], cache["params"]
    T = x.shape[2]
    result = {"dx": np.zeros_like(x)}
    dh_next = np.zeros_like(cache["h0"])
    dc_next = np.zeros_like(cache["c0"])
    for t in reversed(range(T)):
        step = {k: cache[k][:, :, t] for k in "ifgo"}
        step["x_t"] = x[:, :, t]
        step["h_prev"] = h[:, :, t - 1] if t > 0 else cache["h0"]
        step["c_prev"] = c[:, :, t - 1] if t > 0 else cache["c0"]
        step["c_next"] = c[:, :, t]
        step["params"] = params
        g = lstm_cell_backward(dh[:, :, t] + dh_next, dc_next, step)
        result["dx"][:, :, t] = g["dx_t"]
        dh_next, dc_next = g["dh_prev"], g["dc_prev"]
        for k in params:
            result["d" + k] = g["d" + k]
    result["dh0"] = dh_next
    result["dc_0"] = dc_next
    return result
'''),
    ],
}
