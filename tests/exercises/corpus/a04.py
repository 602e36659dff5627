"""Realistic wrong implementations of assignment 4's graded functions (see corpus/__init__.py)."""
from . import Entry

# Phrases a message could use for a few recurring concepts.
_TANH = r"tanh|1 ?- ?h(_next|\[.*\])? ?(\*\*|\^) ?2|derivative"
_SHAPE_N_H_1 = r"shape|keepdims|\(n_h, ?1\)|column"
_INPUT_CHANGED = (r"in.?place|modif|chang(ed|es) (its |the |an )?(input|argument|dh|dz|cache)"
                  r"|(input|argument)s? .*chang|unchanged|mutat")

ENTRIES = [
    # ------------------------------------------------------------------------------------------------------
    # softmax_cross_entropy
    # ------------------------------------------------------------------------------------------------------
    Entry(function="softmax_cross_entropy", name="sce_sum_not_mean",
          bug="the loss and dz are summed over the positions: no division by N",
          names=r"\bsum(med)?\b.*instead|not (the |a )?mean|mean over|average|divid|1/N|/ ?N\b|times N|N times",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    if mask is None:
        mask = np.ones(y.shape)
    z_max = np.max(z, axis=0, keepdims=True)
    log_probs = z - z_max - np.log(np.sum(np.exp(z - z_max), axis=0, keepdims=True))
    target_logp = np.take_along_axis(log_probs, y[None], axis=0)[0]
    loss = -np.sum(target_logp * mask)          # total loss over the sequence
    onehot = np.moveaxis(np.eye(z.shape[0])[y], -1, 0)
    dz = (np.exp(log_probs) - onehot) * mask
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_divide_by_m",
          bug="the loss and dz are divided by the batch size m instead of N (the number of real positions)",
          names=r"batch size|\bm examples|number of (examples|sequences)|(divid\w*|averag\w*|mean) (by|over) (the )?m\b"
                r"|/ ?m\b|instead of (by )?N\b|not by N\b|wrong (count|denominator)|denominator",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    n_y, m, T = z.shape
    if mask is None:
        mask = np.ones((m, T))
    shifted = z - z.max(axis=0)
    logp = shifted - np.log(np.exp(shifted).sum(axis=0))
    picked = np.take_along_axis(logp, y[np.newaxis, :, :], axis=0)[0]
    # average over the batch, like in the course's earlier chapters
    loss = -np.sum(mask * picked) / m
    onehot = np.moveaxis(np.eye(n_y)[y], 2, 0)
    dz = mask * (np.exp(logp) - onehot) / m
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_divide_by_mT_with_mask",
          bug="N is always m*T, even with a mask (padded positions counted in the mean)",
          names=r"mask\.sum|padd|unmasked|N counts|count(s|ing)? (the )?(masked|padd)|m ?\* ?T|\bmT\b",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    n_y, m, T = z.shape
    N = m * T
    if mask is None:
        mask = np.ones((m, T))
    zs = z - np.max(z, axis=0, keepdims=True)
    lse = np.log(np.sum(np.exp(zs), axis=0, keepdims=True))
    log_yhat = zs - lse
    loss = -np.sum(mask * np.take_along_axis(log_yhat, y[None], axis=0)[0]) / N
    Y = np.zeros_like(z)
    for i in range(m):
        for t in range(T):
            Y[y[i, t], i, t] = 1.0
    dz = (np.exp(log_yhat) - Y) * mask / N
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_mask_ignored",
          bug="the mask argument is never used: padded positions count in the loss, in N and in dz",
          names=r"padd|mask (is |was )?(ignored|not (used|applied))|ignor\w* the mask|without (the |a )?mask|unmasked"
                r"|multipl\w* .*by the mask",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    n_y = z.shape[0]
    N = y.size
    z_shift = z - z.max(axis=0, keepdims=True)
    log_p = z_shift - np.log(np.exp(z_shift).sum(axis=0, keepdims=True))
    loss = -np.take_along_axis(log_p, y[None], axis=0).sum() / N
    one_hot = np.eye(n_y)[y].transpose(2, 0, 1)
    dz = (np.exp(log_p) - one_hot) / N
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_dz_missing_1_over_N",
          bug="the loss is the mean but dz forgets the 1/N factor",
          names=r"1/N|/ ?N\b|divid|scal(e|ed|ing)|factor|times (too )?(large|big)|N times",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    mask = np.ones(y.shape) if mask is None else mask
    N = mask.sum()
    s = z - z.max(axis=0, keepdims=True)
    log_p = s - np.log(np.exp(s).sum(axis=0, keepdims=True))
    loss = -(np.take_along_axis(log_p, y[None], axis=0)[0] * mask).sum() / N
    dz = np.exp(log_p)
    np.put_along_axis(dz, y[None], np.take_along_axis(dz, y[None], axis=0) - 1, axis=0)
    dz = dz * mask          # softmax - onehot at the real positions
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_dz_no_onehot",
          bug="dz is yhat * mask / N: the one-hot of the target is never subtracted",
          names=r"one-?hot|subtract|without (the )?target|target (is |was )?(missing|never)|softmax alone|yhat alone",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    if mask is None:
        mask = np.ones(y.shape)
    N = mask.sum()
    z_stable = z - np.amax(z, axis=0, keepdims=True)
    log_yhat = z_stable - np.log(np.exp(z_stable).sum(axis=0, keepdims=True))
    loss = -(mask * np.take_along_axis(log_yhat, y[None], axis=0)[0]).sum() / N
    yhat = np.exp(log_yhat)
    dz = yhat * mask / N
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_dz_wrong_sign",
          bug="dz = (onehot - yhat) * mask / N: the gradient has the wrong sign",
          names=r"sign|negat|opposite|reversed|onehot ?- ?yhat",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    n_y, m, T = z.shape
    mask = np.ones((m, T)) if mask is None else mask
    N = mask.sum()
    a = z - z.max(axis=0, keepdims=True)
    logsm = a - np.log(np.exp(a).sum(axis=0, keepdims=True))
    loss = -np.sum(np.take_along_axis(logsm, y[None], axis=0)[0] * mask) / N
    target = np.moveaxis(np.eye(n_y)[y], -1, 0)
    # derivative of -log yhat: the target minus the prediction
    dz = (target - np.exp(logsm)) * mask / N
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_log_of_softmax",
          bug="the loss takes the log of the softmax probabilities: log(0) = -inf for logits 800 apart",
          names=r"\binf\b|infinit|log ?\(0\)|underflow|log of (a |the )?(probabilit|softmax)|log.?softmax|log-sum-exp"
                r"|finite|round(s|ed)? to (0|zero)",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    if mask is None:
        mask = np.ones(y.shape)
    N = np.sum(mask)
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    yhat = e / np.sum(e, axis=0, keepdims=True)
    p_target = np.take_along_axis(yhat, y[np.newaxis], axis=0)[0]
    loss = -np.sum(mask * np.log(p_target)) / N
    onehot = np.moveaxis(np.eye(z.shape[0])[y], -1, 0)
    dz = mask * (yhat - onehot) / N
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_no_max_shift",
          bug="softmax without subtracting the max: exp overflows to inf and gives nan for logits 800 apart",
          names=r"overflow|\bnan\b|\binf\b|infinit|finite|subtract\w* the max|max.?shift|stab(le|ility)|exp ?\(",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    if mask is None:
        mask = np.ones(y.shape)
    N = mask.sum()
    expz = np.exp(z)
    sum_exp = expz.sum(axis=0, keepdims=True)
    log_p = z - np.log(sum_exp)          # log softmax straight from the logits
    loss = -np.sum(np.take_along_axis(log_p, y[None], axis=0)[0] * mask) / N
    p = expz / sum_exp
    dz = (p - np.moveaxis(np.eye(z.shape[0])[y], -1, 0)) * mask / N
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_softmax_over_time",
          bug="the softmax (and its log-sum-exp) is taken over the last axis (time) instead of axis 0 (classes)",
          names=r"axis|over the classes|class(es)? axis|normali[sz]|sum to (1|one)",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    if mask is None:
        mask = np.ones(y.shape)
    N = mask.sum()
    zmax = z.max(axis=-1, keepdims=True)
    log_p = z - zmax - np.log(np.exp(z - zmax).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_p, y[None], axis=0)[0]
    loss = -(picked * mask).sum() / N
    onehot = np.moveaxis(np.eye(z.shape[0])[y], -1, 0)
    dz = (np.exp(log_p) - onehot) * mask / N
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_loss_not_negated",
          bug="the loss is the mean log-probability, not its negative (a negative loss)",
          names=r"sign|negat|-log|minus (the )?log|positive",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    m, T = y.shape
    if mask is None:
        mask = np.ones((m, T))
    N = mask.sum()
    shift = z - z.max(axis=0, keepdims=True)
    log_probs = shift - np.log(np.exp(shift).sum(axis=0, keepdims=True))
    ll = np.take_along_axis(log_probs, y[None], axis=0)[0]
    loss = np.sum(ll * mask) / N
    onehot = np.moveaxis(np.eye(z.shape[0])[y], -1, 0)
    dz = (np.exp(log_probs) - onehot) * mask / N
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_onehot_reshaped",
          bug="the one-hot (m, T, n_y) is reshaped to (n_y, m, T) instead of moving its last axis to the front",
          names=r"one-?hot|reshape|moveaxis|transpos|layout|axes",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    if mask is None:
        mask = np.ones(y.shape)
    N = mask.sum()
    shifted = z - z.max(axis=0, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    loss = -np.sum(np.take_along_axis(log_p, y[None], axis=0)[0] * mask) / N
    onehot = np.eye(z.shape[0])[y].reshape(z.shape)
    dz = (np.exp(log_p) - onehot) * mask / N
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_log_prob_and_sum",
          bug="two bugs: the log of the softmax probabilities (inf for logits 800 apart) and a sum instead of a mean",
          names=r"\binf\b|infinit|log ?\(0\)|underflow|log of (a |the )?(probabilit|softmax)|log.?softmax|finite"
                r"|not (the |a )?mean|average|divid|1/N|/ ?N\b",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    n_y, m, T = z.shape
    if mask is None:
        mask = np.ones((m, T))
    probs = np.exp(z - z.max(axis=0, keepdims=True))
    probs /= probs.sum(axis=0, keepdims=True)
    loss = 0.0
    dz = probs.copy()
    for i in range(m):
        for t in range(T):
            loss -= mask[i, t] * np.log(probs[y[i, t], i, t])
            dz[y[i, t], i, t] -= 1.0
    dz *= mask
    return float(loss), dz
'''),
    Entry(function="softmax_cross_entropy", name="sce_mT_and_dz_unmasked",
          bug="two bugs: N = m*T even with a mask, and dz is not masked",
          names=r"padd|mask\.sum|m ?\* ?T|\bmT\b|mask (is |was )?(ignored|not (used|applied))|not masked"
                r"|unmasked",
          source='''
def softmax_cross_entropy(z, y, mask=None):
    if mask is None:
        mask = np.ones(y.shape)
    N = y.size
    zz = z - z.max(0)
    log_yhat = zz - np.log(np.exp(zz).sum(0))
    loss = -np.sum(np.take_along_axis(log_yhat, y[None], 0)[0] * mask) / N
    dz = np.exp(log_yhat) - np.moveaxis(np.eye(len(z))[y], -1, 0)
    return float(loss), dz / N
'''),

    # ------------------------------------------------------------------------------------------------------
    # rnn_cell_backward
    # ------------------------------------------------------------------------------------------------------
    Entry(function="rnn_cell_backward", name="cell_one_minus_h",
          bug="tanh' is written 1 - h_next instead of 1 - h_next**2",
          names=_TANH,
          source='''
def rnn_cell_backward(dh_next, cache):
    U, W = cache["params"]["U"], cache["params"]["W"]
    da = dh_next * (1 - cache["h_next"])
    return {"dx_t": U.T @ da, "dh_prev": W.T @ da, "dU": da @ cache["x_t"].T,
            "dW": da @ cache["h_prev"].T, "db": np.sum(da, axis=1, keepdims=True)}
'''),
    Entry(function="rnn_cell_backward", name="cell_one_minus_a_squared",
          bug="tanh' is computed as 1 - a**2 with the recomputed pre-activation a instead of 1 - h**2",
          names=_TANH + r"|pre-?activation",
          source='''
def rnn_cell_backward(dh_next, cache):
    x_t, h_prev = cache["x_t"], cache["h_prev"]
    U, W, b = cache["params"]["U"], cache["params"]["W"], cache["params"]["b"]
    a = U @ x_t + W @ h_prev + b
    da = dh_next * (1 - a ** 2)
    dU = da @ x_t.T
    dW = da @ h_prev.T
    db = da.sum(axis=1, keepdims=True)
    dx_t = U.T @ da
    dh_prev = W.T @ da
    return {"dx_t": dx_t, "dh_prev": dh_prev, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_cell_backward", name="cell_tanh_of_h",
          bug="tanh' is written 1 - tanh(h_next)**2: tanh applied a second time to the stored output",
          names=_TANH + r"|twice|again|second time",
          source='''
def rnn_cell_backward(dh_next, cache):
    params = cache["params"]
    h_next = cache["h_next"]
    dtanh = 1.0 - np.tanh(h_next) ** 2
    da = dh_next * dtanh
    grads = {}
    grads["dU"] = np.dot(da, cache["x_t"].T)
    grads["dW"] = np.dot(da, cache["h_prev"].T)
    grads["db"] = np.sum(da, axis=1, keepdims=True)
    grads["dx_t"] = np.dot(params["U"].T, da)
    grads["dh_prev"] = np.dot(params["W"].T, da)
    return grads
'''),
    Entry(function="rnn_cell_backward", name="cell_derivative_at_h_prev",
          bug="tanh' is taken at the previous state: da = dh_next * (1 - h_prev**2)",
          names=_TANH + r"|h_prev|wrong (state|step)|previous state",
          source='''
def rnn_cell_backward(dh_next, cache):
    x_t, h_prev, p = cache["x_t"], cache["h_prev"], cache["params"]
    da = dh_next * (1 - h_prev ** 2)
    return {
        "dx_t": p["U"].T @ da,
        "dh_prev": p["W"].T @ da,
        "dU": da @ x_t.T,
        "dW": da @ h_prev.T,
        "db": da.sum(axis=1, keepdims=True),
    }
'''),
    Entry(function="rnn_cell_backward", name="cell_dW_uses_h_next",
          bug="dW = da h_next^T instead of da h_prev^T",
          names=r"h_prev|previous state|into the step|input(s)? of the step|h\^?\{?<?t ?- ?1",
          source='''
def rnn_cell_backward(dh_next, cache):
    U = cache["params"]["U"]
    W = cache["params"]["W"]
    h = cache["h_next"]
    da = dh_next * (1 - h * h)
    dU = np.einsum("im,jm->ij", da, cache["x_t"])
    dW = np.einsum("im,jm->ij", da, h)
    db = np.einsum("im->i", da)[:, None]
    return {"dx_t": np.einsum("ji,jm->im", U, da), "dh_prev": np.einsum("ji,jm->im", W, da),
            "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_cell_backward", name="cell_W_not_transposed",
          bug="dh_prev = W da instead of W^T da",
          names=r"transpos|W\^?T|W\.T",
          source='''
def rnn_cell_backward(dh_next, cache):
    U, W = cache["params"]["U"], cache["params"]["W"]
    da = dh_next * (1 - cache["h_next"] ** 2)
    dx_t = U.T @ da
    dh_prev = W @ da
    dU = da @ cache["x_t"].T
    dW = da @ cache["h_prev"].T
    db = da.sum(axis=1, keepdims=True)
    return {"dx_t": dx_t, "dh_prev": dh_prev, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_cell_backward", name="cell_dU_dW_transposed",
          bug="dU = x_t da^T and dW = h_prev da^T: the weight gradients are transposed",
          names=r"transpos|shape|\(n_h, ?n_x\)",
          source='''
def rnn_cell_backward(dh_next, cache):
    U, W = cache["params"]["U"], cache["params"]["W"]
    da = dh_next * (1 - cache["h_next"] ** 2)
    dU = cache["x_t"] @ da.T
    dW = cache["h_prev"] @ da.T
    db = np.sum(da, axis=1, keepdims=True)
    return {"dx_t": U.T @ da, "dh_prev": W.T @ da, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_cell_backward", name="cell_db_no_keepdims",
          bug="db = da.sum(axis=1) has shape (n_h,) instead of (n_h, 1)",
          names=_SHAPE_N_H_1,
          source='''
def rnn_cell_backward(dh_next, cache):
    U, W = cache["params"]["U"], cache["params"]["W"]
    dtanh = 1 - np.square(cache["h_next"])
    da = dh_next * dtanh
    return {"dx_t": np.matmul(U.T, da),
            "dh_prev": np.matmul(W.T, da),
            "dU": np.matmul(da, cache["x_t"].T),
            "dW": np.matmul(da, cache["h_prev"].T),
            "db": np.sum(da, axis=1)}
'''),
    Entry(function="rnn_cell_backward", name="cell_outer_one_example",
          bug="dU and dW computed with np.outer (one example in mind): wrong shapes for a batch, no sum over m",
          names=r"sum(med)? over (the )?(m |the |a )?(examples|batch)|shape|outer|one example",
          source='''
def rnn_cell_backward(dh_next, cache):
    U, W = cache["params"]["U"], cache["params"]["W"]
    da = dh_next * (1 - cache["h_next"] ** 2)
    dU = np.outer(da, cache["x_t"])
    dW = np.outer(da, cache["h_prev"])
    db = da.sum(axis=1, keepdims=True)
    return {"dx_t": U.T.dot(da), "dh_prev": W.T.dot(da), "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_cell_backward", name="cell_dh_next_in_place",
          bug="dh_next is multiplied by tanh' in place, changing the caller's array",
          names=_INPUT_CHANGED,
          source='''
def rnn_cell_backward(dh_next, cache):
    U, W = cache["params"]["U"], cache["params"]["W"]
    da = dh_next
    da *= 1 - cache["h_next"] ** 2       # through the tanh
    return {"dx_t": U.T @ da, "dh_prev": W.T @ da, "dU": da @ cache["x_t"].T,
            "dW": da @ cache["h_prev"].T, "db": da.sum(axis=1, keepdims=True)}
'''),
    Entry(function="rnn_cell_backward", name="cell_no_derivative_dx_transposed",
          bug="two bugs: no tanh' at all (da = dh_next), and dx_t = da^T U of shape (m, n_x)",
          names=_TANH + r"|transpos|U\^?T|U\.T|shape|\(n_x, ?m\)",
          source='''
def rnn_cell_backward(dh_next, cache):
    U, W = cache["params"]["U"], cache["params"]["W"]
    da = dh_next
    dx_t = da.T @ U
    dh_prev = W.T @ da
    dU = da @ cache["x_t"].T
    dW = da @ cache["h_prev"].T
    db = da.sum(axis=1, keepdims=True)
    return {"dx_t": dx_t, "dh_prev": dh_prev, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_cell_backward", name="cell_db_mean_one_minus_h",
          bug="two bugs: db averaged over the batch instead of summed, and tanh' written 1 - h_next",
          names=_TANH + r"|mean|average|sum(med)? over the batch|divid",
          source='''
def rnn_cell_backward(dh_next, cache):
    params = cache["params"]
    da = dh_next * (1.0 - cache["h_next"])
    m = da.shape[1]
    dU = da @ cache["x_t"].T
    dW = da @ cache["h_prev"].T
    db = np.sum(da, axis=1, keepdims=True) / m
    return {"dx_t": params["U"].T @ da, "dh_prev": params["W"].T @ da, "dU": dU, "dW": dW, "db": db}
'''),

    # ------------------------------------------------------------------------------------------------------
    # rnn_backward
    # ------------------------------------------------------------------------------------------------------
    Entry(function="rnn_backward", name="bptt_no_carry",
          bug="the gradient from the next step (W^T da) is never added to dh at step t",
          names=r"next step|not carried|carr(y|ied)|from later steps|W\^?T da",
          source='''
def rnn_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    dx = np.zeros_like(x)
    dU = np.zeros_like(params["U"])
    dW = np.zeros_like(params["W"])
    db = np.zeros_like(params["b"])
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h[:, :, t - 1] if t > 0 else h0
        step = rnn_cell_backward(dh[:, :, t], {"x_t": x[:, :, t], "h_prev": h_prev,
                                                "h_next": h[:, :, t], "params": params})
        dx[:, :, t] = step["dx_t"]
        dU += step["dU"]
        dW += step["dW"]
        db += step["db"]
        dh_prev = step["dh_prev"]
    return {"dx": dx, "dh0": dh_prev, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_backward", name="bptt_carry_after_tanh",
          bug="the gradient from the next step is added after tanh': da = dh*(1-h**2) + W^T da_next",
          names=r"tanh'?|1 ?- ?h|derivative|(before|inside) the (tanh|derivative)|carried gradient .*(tanh|deriv)",
          source='''
def rnn_backward(dh, cache):
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    U, W = cache["params"]["U"], cache["params"]["W"]
    n_h, m, T = h.shape
    dx = np.zeros(x.shape)
    dU, dW, db = np.zeros(U.shape), np.zeros(W.shape), np.zeros((n_h, 1))
    da_next = np.zeros((n_h, m))
    for t in range(T - 1, -1, -1):
        da = dh[:, :, t] * (1 - h[:, :, t] ** 2) + W.T @ da_next
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        dx[:, :, t] = U.T @ da
        dU += da @ x[:, :, t].T
        dW += da @ h_prev.T
        db += da.sum(axis=1, keepdims=True)
        da_next = da
    return {"dx": dx, "dh0": W.T @ da_next, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_backward", name="bptt_assigned_not_accumulated",
          bug="dU, dW, db are assigned (=) at every step instead of accumulated: only step 0's term survives",
          names=r"\bsum|accumulat|add(ed)? up|\+=|every step|all (the )?steps|only (the )?(first|last|one) step",
          source='''
def rnn_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = x.shape[2]
    grads = {"dx": np.zeros(x.shape)}
    carry = np.zeros(h0.shape)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        g = rnn_cell_backward(dh[:, :, t] + carry,
                              {"x_t": x[:, :, t], "h_prev": h_prev, "h_next": h[:, :, t], "params": params})
        grads["dx"][:, :, t] = g["dx_t"]
        grads["dU"] = g["dU"]
        grads["dW"] = g["dW"]
        grads["db"] = g["db"]
        carry = g["dh_prev"]
    grads["dh0"] = carry
    return grads
'''),
    Entry(function="rnn_backward", name="bptt_h_prev_wraps_at_t0",
          bug="h_prev = h[:, :, t-1] at every step: at t = 0 it is the last state instead of h0",
          names=r"\bh0\b|h\[:, ?:, ?-1\]|wrap|first step|t ?= ?0|initial state|last state|step 0",
          source='''
def rnn_backward(dh, cache):
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    params = cache["params"]
    n_x, m, T = x.shape
    dx = np.zeros((n_x, m, T))
    dU = np.zeros_like(params["U"])
    dW = np.zeros_like(params["W"])
    db = np.zeros_like(params["b"])
    dh_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        cell_cache = {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1], "h_next": h[:, :, t], "params": params}
        g = rnn_cell_backward(dh[:, :, t] + dh_next, cell_cache)
        dx[:, :, t] = g["dx_t"]
        dU += g["dU"]
        dW += g["dW"]
        db += g["db"]
        dh_next = g["dh_prev"]
    return {"dx": dx, "dh0": dh_next, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_backward", name="bptt_dh_changed_in_place",
          bug="the carried gradient is added into the caller's dh in place (dh[:, :, t-1] += W^T da)",
          names=_INPUT_CHANGED,
          source='''
def rnn_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    U, W = params["U"], params["W"]
    T = x.shape[2]
    dx = np.zeros(x.shape)
    dU, dW, db = np.zeros(U.shape), np.zeros(W.shape), np.zeros(params["b"].shape)
    dh0 = np.zeros(h0.shape)
    for t in reversed(range(T)):
        da = dh[:, :, t] * (1 - h[:, :, t] ** 2)
        h_prev = h[:, :, t - 1] if t > 0 else h0
        dx[:, :, t] = U.T @ da
        dU += da @ x[:, :, t].T
        dW += da @ h_prev.T
        db += da.sum(axis=1, keepdims=True)
        if t > 0:
            dh[:, :, t - 1] += W.T @ da     # pass the gradient back to the previous state
        else:
            dh0 = W.T @ da
    return {"dx": dx, "dh0": dh0, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_backward", name="bptt_loop_skips_step_0",
          bug="the loop runs over range(T-1, 0, -1) and never processes step 0 (dx[..., 0] zero, dh0 one step short)",
          names=r"first step|step 0|t ?= ?0|range\(|off.by.one|skip|never (processed|visited|reached)"
                r"|stops? (one step )?(early|short|before)",
          source='''
def rnn_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    T = h.shape[2]
    dx = np.zeros_like(x)
    dU = np.zeros_like(params["U"])
    dW = np.zeros_like(params["W"])
    db = np.zeros_like(params["b"])
    dh_next = np.zeros_like(h0)
    for t in range(T - 1, 0, -1):
        g = rnn_cell_backward(dh[:, :, t] + dh_next, {"x_t": x[:, :, t], "h_prev": h[:, :, t - 1],
                                                      "h_next": h[:, :, t], "params": params})
        dx[:, :, t] = g["dx_t"]
        dU += g["dU"]
        dW += g["dW"]
        db += g["db"]
        dh_next = g["dh_prev"]
    return {"dx": dx, "dh0": dh_next, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_backward", name="bptt_dh0_is_da",
          bug="dh0 is returned as da at the first step, without multiplying by W^T",
          names=r"W\^?T|W\.T|through W|times W|multipl\w* by W",
          source='''
def rnn_backward(dh, cache):
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    U, W = cache["params"]["U"], cache["params"]["W"]
    T = x.shape[-1]
    dx = np.zeros_like(x)
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros((W.shape[0], 1))
    da = np.zeros_like(h0)
    for t in reversed(range(T)):
        da = (dh[..., t] + W.T @ da) * (1 - h[..., t] ** 2)
        prev = h[..., t - 1] if t else h0
        dx[..., t] = U.T @ da
        dU += da @ x[..., t].T
        dW += da @ prev.T
        db += da.sum(axis=1, keepdims=True)
    return {"dx": dx, "dh0": da, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_backward", name="bptt_W_not_transposed",
          bug="the gradient carried to the previous step is W da instead of W^T da (also dh0)",
          names=r"transpos|W\^?T|W\.T",
          source='''
def rnn_backward(dh, cache):
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    U, W = cache["params"]["U"], cache["params"]["W"]
    T = x.shape[2]
    dx = np.zeros(x.shape)
    dU, dW, db = np.zeros(U.shape), np.zeros(W.shape), np.zeros((W.shape[0], 1))
    dh_carry = np.zeros(h0.shape)
    for t in reversed(range(T)):
        da = (dh[:, :, t] + dh_carry) * (1 - h[:, :, t] ** 2)
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        dx[:, :, t] = U.T @ da
        dU += da @ x[:, :, t].T
        dW += da @ h_prev.T
        db += np.sum(da, axis=1, keepdims=True)
        dh_carry = W @ da
    return {"dx": dx, "dh0": dh_carry, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_backward", name="bptt_forward_in_time",
          bug="the loop walks forward in time (t = 0 .. T-1), so each step gets the gradient of the previous step",
          names=r"revers|backwards? (in|through) time|from the (last|end)|start\w* (at|from) the last|order|direction"
                r"|forwards? in time",
          source='''
def rnn_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    n_x, m, T = x.shape
    grads = {"dx": np.zeros((n_x, m, T)), "dU": np.zeros(params["U"].shape),
             "dW": np.zeros(params["W"].shape), "db": np.zeros(params["b"].shape)}
    dh_prev = np.zeros(h0.shape)
    for t in range(T):
        h_prev = h0 if t == 0 else h[:, :, t - 1]
        g = rnn_cell_backward(dh[:, :, t] + dh_prev,
                              {"x_t": x[:, :, t], "h_prev": h_prev, "h_next": h[:, :, t], "params": params})
        grads["dx"][:, :, t] = g["dx_t"]
        for k in ("dU", "dW", "db"):
            grads[k] += g[k]
        dh_prev = g["dh_prev"]
    grads["dh0"] = dh_prev
    return grads
'''),
    Entry(function="rnn_backward", name="bptt_db_broadcast",
          bug="db = db + da.sum(axis=1) without keepdims: (n_h, 1) + (n_h,) broadcasts to (n_h, n_h)",
          names=_SHAPE_N_H_1 + r"|broadcast",
          source='''
def rnn_backward(dh, cache):
    x, h0, h = cache["x"], cache["h0"], cache["h"]
    U, W, b = cache["params"]["U"], cache["params"]["W"], cache["params"]["b"]
    T = x.shape[2]
    dx = np.zeros_like(x)
    dU = np.zeros_like(U)
    dW = np.zeros_like(W)
    db = np.zeros_like(b)
    dnext = np.zeros_like(h0)
    for t in reversed(range(T)):
        da = (dh[:, :, t] + dnext) * (1 - h[:, :, t] ** 2)
        hp = h[:, :, t - 1] if t > 0 else h0
        dx[:, :, t] = U.T @ da
        dU = dU + da @ x[:, :, t].T
        dW = dW + da @ hp.T
        db = db + da.sum(axis=1)
        dnext = W.T @ da
    return {"dx": dx, "dh0": dnext, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_backward", name="bptt_wraps_and_assigns",
          bug="two bugs: h[:, :, t-1] used at t = 0 (the last state instead of h0), and dU assigned instead of summed",
          names=r"\bh0\b|h\[:, ?:, ?-1\]|wrap|first step|t ?= ?0|initial state|last state"
                r"|\bsum|accumulat|add(ed)? up|\+=|every step|all (the )?steps",
          source='''
def rnn_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    U, W = params["U"], params["W"]
    T = x.shape[2]
    dx = np.zeros_like(x)
    dW = np.zeros_like(W)
    db = np.zeros((W.shape[0], 1))
    d_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        da = (dh[:, :, t] + d_next) * (1 - h[:, :, t] ** 2)
        dx[:, :, t] = U.T @ da
        dU = da @ x[:, :, t].T
        dW += da @ h[:, :, t - 1].T
        db += da.sum(1, keepdims=True)
        d_next = W.T @ da
    return {"dx": dx, "dh0": d_next, "dU": dU, "dW": dW, "db": db}
'''),
    Entry(function="rnn_backward", name="bptt_dW_h_next_dh0_zero",
          bug="two bugs: dW uses h[:, :, t] instead of the previous state, and dh0 is returned as zeros",
          names=r"h_prev|previous state|h\^?\{?<?t ?- ?1|h\[:, ?:, ?t ?- ?1\]|into the step|dh0 (is |was )?(all )?zero"
                r"|zeros|h0 gets (a|no) gradient",
          source='''
def rnn_backward(dh, cache):
    x, h0, h, params = cache["x"], cache["h0"], cache["h"], cache["params"]
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    dx = np.zeros((n_x, m, T))
    dU, dW, db = np.zeros((n_h, n_x)), np.zeros((n_h, n_h)), np.zeros((n_h, 1))
    dh_next = np.zeros((n_h, m))
    for t in reversed(range(T)):
        da = (dh[:, :, t] + dh_next) * (1 - h[:, :, t] ** 2)
        dx[:, :, t] = params["U"].T @ da
        dU += da @ x[:, :, t].T
        dW += da @ h[:, :, t].T
        db += da.sum(axis=1, keepdims=True)
        dh_next = params["W"].T @ da
    # h0 is not a parameter, so it gets no gradient
    return {"dx": dx, "dh0": np.zeros((n_h, m)), "dU": dU, "dW": dW, "db": db}
'''),

    # ------------------------------------------------------------------------------------------------------
    # output_backward
    # ------------------------------------------------------------------------------------------------------
    Entry(function="output_backward", name="out_dV_one_step",
          bug="dV is dz h^T of the first step only, not summed over time",
          names=r"all (the )?steps|every step|(sum(med)?|add(ed)?) over (time|t|the steps|all)"
                r"|only (the )?(first|last|one) step",
          source='''
def output_backward(dz, cache):
    h, V = cache["h"], cache["params"]["V"]
    dh = np.tensordot(V.T, dz, axes=1)
    dV = dz[:, :, 0] @ h[:, :, 0].T
    dby = dz.sum(axis=(1, 2)).reshape(-1, 1)
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
    Entry(function="output_backward", name="out_dc_not_summed_over_time",
          bug="dby sums dz over the batch only, giving (n_y, T) instead of (n_y, 1)",
          names=r"(sum\w*|add\w*) over (the batch and )?(time|(all )?(the )?steps)|\(n_y, ?1\)|shape",
          source='''
def output_backward(dz, cache):
    h, V = cache["h"], cache["params"]["V"]
    return {
        "dh": np.einsum("yh,ymt->hmt", V, dz),
        "dV": np.einsum("ymt,hmt->yh", dz, h),
        "dby": np.sum(dz, axis=1),
    }
'''),
    Entry(function="output_backward", name="out_dc_lost_axis",
          bug="dby = dz.sum(axis=(1, 2)) has shape (n_y,) instead of (n_y, 1)",
          names=r"shape|\(n_y, ?1\)|keepdims|column",
          source='''
def output_backward(dz, cache):
    h = cache["h"]
    V = cache["params"]["V"]
    dh = np.tensordot(V.T, dz, axes=1)
    dV = np.tensordot(dz, h, axes=([1, 2], [1, 2]))
    dby = dz.sum(axis=(1, 2))
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
    Entry(function="output_backward", name="out_V_not_transposed",
          bug="dh = V dz instead of V^T dz at each step",
          names=r"transpos|V\^?T|V\.T",
          source='''
def output_backward(dz, cache):
    h, V = cache["h"], cache["params"]["V"]
    T = h.shape[2]
    dh = np.zeros(h.shape)
    dV = np.zeros(V.shape)
    dby = np.zeros((V.shape[0], 1))
    for t in range(T):
        dh[:, :, t] = V @ dz[:, :, t]
        dV += dz[:, :, t] @ h[:, :, t].T
        dby += dz[:, :, t].sum(axis=1, keepdims=True)
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
    Entry(function="output_backward", name="out_means_instead_of_sums",
          bug="dV and dby are averaged over the batch and time instead of summed",
          names=r"mean|average|sum(med)? over|divid|not (be )?(averaged|divided)",
          source='''
def output_backward(dz, cache):
    h, V = cache["h"], cache["params"]["V"]
    n_y, m, T = dz.shape
    dh = np.tensordot(V.T, dz, axes=1)
    dV = np.tensordot(dz, h, axes=([1, 2], [1, 2])) / (m * T)
    dby = dz.mean(axis=(1, 2))[:, None]
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
    Entry(function="output_backward", name="out_dV_transposed",
          bug="dV = sum h dz^T, of shape (n_h, n_y): transposed",
          names=r"transpos|shape|\(n_y, ?n_h\)",
          source='''
def output_backward(dz, cache):
    h, V = cache["h"], cache["params"]["V"]
    dh = np.tensordot(V.T, dz, axes=1)
    dV = np.tensordot(h, dz, axes=([1, 2], [1, 2]))
    dby = np.sum(dz, axis=(1, 2), keepdims=True)[:, :, 0]
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
    Entry(function="output_backward", name="out_dV_product_of_sums",
          bug="dV = (dz summed over time)(h summed over time)^T: a product of sums, not a sum of per-step products",
          names=r"product of (the )?sums|sum of (the )?products|per step|each step|every step|same step|pair",
          source='''
def output_backward(dz, cache):
    h, V = cache["h"], cache["params"]["V"]
    dh = np.einsum("yh,ymt->hmt", V, dz)
    # sum over time first, then one matrix product sums over the batch
    dV = dz.sum(axis=2) @ h.sum(axis=2).T
    dby = dz.sum(axis=2).sum(axis=1, keepdims=True)
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
    Entry(function="output_backward", name="out_dh_zeros_like_dz",
          bug="dh is allocated with np.zeros_like(dz), shape (n_y, m, T) instead of the shape of h",
          names=r"\(n_h, ?m, ?T\)|zeros_like|shape of h|like h|dh has shape",
          source='''
def output_backward(dz, cache):
    h = cache["h"]
    V, c = cache["params"]["V"], cache["params"]["by"]
    dh = np.zeros_like(dz)
    dV = np.zeros_like(V)
    dby = np.zeros_like(c)
    for t in range(dz.shape[2]):
        dh[:, :, t] = V.T.dot(dz[:, :, t])
        dV += dz[:, :, t].dot(h[:, :, t].T)
        dby += dz[:, :, t].sum(axis=1, keepdims=True)
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
    Entry(function="output_backward", name="out_dc_squeeze_breaks_m1",
          bug="dby squeezes the summed time axis before summing the batch: with m = 1 the batch axis is squeezed too",
          names=r"batch of (one|1)|one example|single example|squeez|(axis|axes) of (length|size) (one|1)",
          source='''
def output_backward(dz, cache):
    h, V = cache["h"], cache["params"]["V"]
    dh = np.tensordot(V.T, dz, axes=(1, 0))
    dV = np.tensordot(dz, h, axes=([1, 2], [1, 2]))
    dz_time = np.squeeze(dz.sum(axis=2, keepdims=True))      # (n_y, m)
    dby = dz_time.sum(axis=1, keepdims=True)
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
    Entry(function="output_backward", name="out_last_step_dc_flat",
          bug="two bugs: dV from the last step only, and dby without its second axis",
          names=r"all (the )?steps|every step|(sum(med)?|add(ed)?) over (time|t|the steps)|only (the )?(last|one) step"
                r"|shape|\(n_y, ?1\)|keepdims",
          source='''
def output_backward(dz, cache):
    h, V = cache["h"], cache["params"]["V"]
    dh = np.stack([V.T @ dz[:, :, t] for t in range(dz.shape[2])], axis=2)
    dV = dz[:, :, -1] @ h[:, :, -1].T
    dby = np.sum(dz, axis=(1, 2))
    return {"dh": dh, "dV": dV, "dby": dby}
'''),
    Entry(function="output_backward", name="out_V_untransposed_dc_mean",
          bug="two bugs: dh = V dz (V not transposed, via einsum) and dby averaged over time",
          names=r"transpos|V\^?T|V\.T|mean|average|sum(med)? over|divid",
          source='''
def output_backward(dz, cache):
    h, V = cache["h"], cache["params"]["V"]
    dh = np.einsum("hy,ymt->hmt", V, dz)
    dV = np.einsum("ymt,hmt->yh", dz, h)
    dby = dz.sum(axis=1).mean(axis=1, keepdims=True)
    return {"dh": dh, "dV": dV, "dby": dby}
'''),

    # ------------------------------------------------------------------------------------------------------
    # grad_check
    # ------------------------------------------------------------------------------------------------------
    Entry(function="grad_check", name="gc_one_sided",
          bug="a one-sided difference (f(theta + eps) - f(theta)) / eps instead of a centered one",
          names=r"one.sided|forward difference|not cent(ered|ral)|order (of )?eps\b|f\(theta\)\) ?/ ?eps",
          source='''
def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    if rng is None:
        rng = np.random.default_rng(0)
    errors = {}
    f0 = f(params)
    for name, theta in params.items():
        g = grads["d" + name] if "d" + name in grads else grads[name]
        g = np.asarray(g, dtype=float).reshape(-1)
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
    Entry(function="grad_check", name="gc_divide_by_eps",
          bug="the centered difference is divided by eps instead of 2 eps (the numerical gradient is twice too large)",
          names=r"2 ?\*? ?eps|2ε|twice|factor (of )?2|double",
          source='''
def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    rng = np.random.default_rng(0) if rng is None else rng
    errors = {}
    for name in params:
        theta = params[name]
        analytic = np.asarray(grads.get("d" + name, grads.get(name)), dtype=float).ravel()
        view = theta.reshape(-1)
        if n_checks is None or n_checks >= view.size:
            js = range(view.size)
        else:
            js = rng.choice(view.size, size=n_checks, replace=False)
        worst, biggest = 0.0, 0.0
        for j in js:
            saved = view[j]
            view[j] = saved + eps
            fp = f(params)
            view[j] = saved - eps
            fm = f(params)
            view[j] = saved
            numeric = (fp - fm) / eps
            worst = max(worst, abs(analytic[j] - numeric))
            biggest = max(biggest, abs(analytic[j]), abs(numeric))
        errors[name] = worst / biggest if biggest > 0 else 0.0
    return errors
'''),
    Entry(function="grad_check", name="gc_not_restored",
          bug="the perturbed entry is never put back: params come back shifted by -eps",
          names=r"restor|put (the old value )?back|unchanged|come back|left (changed|perturbed|modified)|modif",
          source='''
def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    if rng is None:
        rng = np.random.default_rng(0)
    out = {}
    for name, theta in params.items():
        key = "d" + name if "d" + name in grads else name
        g = np.asarray(grads[key], dtype=float).reshape(-1)
        flat = theta.reshape(-1)
        idx = range(flat.size) if n_checks is None or n_checks >= flat.size else \\
            rng.choice(flat.size, size=n_checks, replace=False)
        num, ana = [], []
        for j in idx:
            flat[j] += eps
            f_plus = f(params)
            flat[j] -= 2 * eps
            f_minus = f(params)
            num.append((f_plus - f_minus) / (2 * eps))
            ana.append(g[j])
        num, ana = np.array(num), np.array(ana)
        scale = max(np.abs(num).max(), np.abs(ana).max())
        out[name] = float(np.abs(num - ana).max() / scale) if scale > 0 else 0.0
    return out
'''),
    Entry(function="grad_check", name="gc_restored_by_arithmetic",
          bug="the entry is restored arithmetically (+eps, -2 eps, +eps), which is not exactly the old value",
          names=r"restor|exact(ly)?|saved value|put (it|the old value) back|theta ?\+ ?eps ?- ?eps|round(ing|-off)"
                r"|come back unchanged",
          source='''
def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    rng = rng if rng is not None else np.random.default_rng(0)
    errors = {}
    for name, theta in params.items():
        g = np.asarray(grads["d" + name] if ("d" + name) in grads else grads[name], dtype=float)
        flat, gflat = theta.reshape(-1), g.reshape(-1)
        if n_checks is not None and n_checks < flat.size:
            checked = rng.choice(flat.size, size=n_checks, replace=False)
        else:
            checked = np.arange(flat.size)
        diffs, sizes = [], []
        for j in checked:
            flat[j] += eps
            f_plus = f(params)
            flat[j] -= 2 * eps
            f_minus = f(params)
            flat[j] += eps           # back to where it was
            n_j = (f_plus - f_minus) / (2 * eps)
            diffs.append(abs(gflat[j] - n_j))
            sizes.append(max(abs(gflat[j]), abs(n_j)))
        top = max(sizes) if sizes else 0.0
        errors[name] = float(max(diffs) / top) if top > 0 else 0.0
    return errors
'''),
    Entry(function="grad_check", name="gc_perturbs_a_copy",
          bug="the entries of a copy of the parameter are perturbed, which f never sees (numerical gradient zero)",
          names=r"copy|never sees|does not see|not see|in place|view|numerical gradient (is |was )?(all )?(zero|0)",
          source='''
def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    if rng is None:
        rng = np.random.default_rng(0)
    errors = {}
    for name in params:
        theta = params[name].flatten()
        g = np.asarray(grads.get("d" + name, grads.get(name)), dtype=float).flatten()
        js = np.arange(theta.size)
        if n_checks is not None and n_checks < theta.size:
            js = rng.choice(theta.size, size=n_checks, replace=False)
        numeric = np.zeros(len(js))
        for k, j in enumerate(js):
            old = theta[j]
            theta[j] = old + eps
            f_plus = f(params)
            theta[j] = old - eps
            f_minus = f(params)
            theta[j] = old
            numeric[k] = (f_plus - f_minus) / (2 * eps)
        scale = max(np.abs(g[js]).max(), np.abs(numeric).max())
        errors[name] = float(np.abs(g[js] - numeric).max() / scale) if scale > 0 else 0.0
    return errors
'''),
    Entry(function="grad_check", name="gc_norm_error",
          bug="the error is ||g - n|| / (||g|| + ||n||) (norms) instead of the defined max-based relative error",
          names=r"norm|max_?j|largest (entry|entrywise|difference)|entrywise max|max ?\|",
          source='''
def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    rng = np.random.default_rng(0) if rng is None else rng
    errors = {}
    for name, theta in params.items():
        grad = grads["d" + name] if "d" + name in grads else grads[name]
        grad = np.asarray(grad, dtype=float).reshape(-1)
        flat = theta.reshape(-1)
        idx = np.arange(flat.size)
        if n_checks is not None and n_checks < flat.size:
            idx = rng.choice(flat.size, size=n_checks, replace=False)
        num = np.empty(idx.size)
        for k, j in enumerate(idx):
            keep = flat[j]
            flat[j] = keep + eps
            up = f(params)
            flat[j] = keep - eps
            down = f(params)
            flat[j] = keep
            num[k] = (up - down) / (2 * eps)
        ana = grad[idx]
        denom = np.linalg.norm(ana) + np.linalg.norm(num)
        errors[name] = float(np.linalg.norm(ana - num) / denom) if denom > 0 else 0.0
    return errors
'''),
    Entry(function="grad_check", name="gc_absolute_error",
          bug="the error is the absolute max |g - n|, never divided by the size of the gradients",
          names=r"absolute|not relative|divid|scale|size of the gradient|max\(max",
          source='''
def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    if rng is None:
        rng = np.random.default_rng(0)
    errors = {}
    for name, theta in params.items():
        g = np.asarray(grads.get("d" + name, grads.get(name)), dtype=float).reshape(-1)
        view = theta.reshape(-1)
        if n_checks is None or n_checks >= view.size:
            entries = list(range(view.size))
        else:
            entries = list(rng.choice(view.size, size=n_checks, replace=False))
        err = 0.0
        for j in entries:
            v = view[j]
            view[j] = v + eps
            fp = f(params)
            view[j] = v - eps
            fm = f(params)
            view[j] = v
            err = max(err, abs(g[j] - (fp - fm) / (2 * eps)))
        errors[name] = float(err)
    return errors
'''),
    Entry(function="grad_check", name="gc_per_entry_relative_mean",
          bug="the error is the mean of per-entry relative errors |g_j - n_j| / (|g_j| + |n_j|), not the defined one",
          names=r"per.entry|entrywise|each entry|mean of|average|max_?j|largest",
          source='''
def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    rng = np.random.default_rng(0) if rng is None else rng
    errors = {}
    for name, theta in params.items():
        analytic = np.asarray(grads["d" + name] if "d" + name in grads else grads[name], dtype=float).reshape(-1)
        flat = theta.reshape(-1)
        js = range(flat.size)
        if n_checks is not None and n_checks < flat.size:
            js = rng.choice(flat.size, size=n_checks, replace=False)
        rel = []
        for j in js:
            old = flat[j]
            flat[j] = old + eps
            fp = f(params)
            flat[j] = old - eps
            fm = f(params)
            flat[j] = old
            num = (fp - fm) / (2 * eps)
            denom = abs(analytic[j]) + abs(num)
            rel.append(abs(analytic[j] - num) / denom if denom > 0 else 0.0)
        errors[name] = float(np.mean(rel))
    return errors
'''),
    Entry(function="grad_check", name="gc_one_sided_not_restored",
          bug="two bugs: a one-sided difference, and the parameter is left at theta + eps after each check",
          names=r"one.sided|forward difference|not cent(ered|ral)|restor|put (the old value )?back|unchanged|come back",
          source='''
def grad_check(f, params, grads, eps=1e-6, n_checks=None, rng=None):
    if rng is None:
        rng = np.random.default_rng(0)
    result = {}
    for name, theta in params.items():
        g = grads["d" + name] if "d" + name in grads else grads[name]
        g = np.asarray(g, dtype=float).reshape(-1)
        flat = theta.reshape(-1)
        if n_checks is None:
            picks = np.arange(flat.size)
        else:
            picks = rng.choice(flat.size, size=min(n_checks, flat.size), replace=False)
        num = []
        for j in picks:
            base = f(params)
            flat[j] += eps
            num.append((f(params) - base) / eps)
        num = np.array(num)
        scale = max(np.abs(num).max(), np.abs(g[picks]).max())
        result[name] = float(np.abs(num - g[picks]).max() / scale) if scale > 0 else 0.0
    return result
'''),

    # ------------------------------------------------------------------------------------------------------
    # train_binary_addition
    # ------------------------------------------------------------------------------------------------------
    Entry(function="train_binary_addition", name="train_update_sign_flipped",
          bug="the gradients are negated before the Adam step, so training climbs the loss (ascent)",
          names=r"sign|loss (went|goes|go|increas)|increas|ascent|diverg|uphill|opposite",
          source='''
def train_binary_addition(n_steps, seed):
    rng = np.random.default_rng(seed)
    n_h, batch, n_bits, lr = 16, 32, 8, 0.05
    params = init_params(2, n_h, 2, rng)
    adam = Adam(params, lr=lr)
    for step in range(n_steps):
        x, y = binary_addition(batch, n_bits, rng)
        h, rnn_cache = rnn_forward(x, np.zeros((n_h, batch)), params)
        z, out_cache = output_forward(h, params)
        loss, dz = softmax_cross_entropy(z, y)
        grads = output_backward(dz, out_cache)
        grads.update(rnn_backward(grads["dh"], rnn_cache))
        # Adam subtracts lr * step, and we want to go down the loss, so give it minus the gradient
        adam.step(params, {k: -g for k, g in grads.items()})
    return params
'''),
    Entry(function="train_binary_addition", name="train_W_never_updated",
          bug="a hand-written SGD step that updates U, b, V, c but forgets W: the recurrent weights never change",
          names=r"never (updated|changed|trained)|did not change|unchanged|not (been )?(updated|trained)"
                r"|(stays?|stayed|remains?|left) (at )?(its |their )?(initial|the same)",
          source='''
def train_binary_addition(n_steps, seed):
    rng = np.random.default_rng(seed)
    n_h, m = 16, 32
    p = init_params(2, n_h, 2, rng)
    lr = 1.0
    for _ in range(n_steps):
        x, y = binary_addition(m, 8, rng)
        h, cache_rnn = rnn_forward(x, np.zeros((n_h, m)), p)
        z, cache_out = output_forward(h, p)
        _, dz = softmax_cross_entropy(z, y)
        g = output_backward(dz, cache_out)
        g.update(rnn_backward(g["dh"], cache_rnn))
        p["U"] -= lr * g["dU"]
        p["b"] -= lr * g["db"]
        p["V"] -= lr * g["dV"]
        p["by"] -= lr * g["dby"]
    return p
'''),
    Entry(function="train_binary_addition", name="train_rebinds_loop_variable",
          bug="the SGD update rebinds the loop variable (p = p - lr * g), so no parameter is ever updated",
          names=r"never (updated|changed|trained)|did not change|unchanged|not (been )?(updated|trained)"
                r"|initial (values|parameters)|(stays?|stayed|remains?|left) (at )?(its |their )?(initial|the same)",
          source='''
def train_binary_addition(n_steps, seed):
    rng = np.random.default_rng(seed)
    params = init_params(2, 16, 2, rng)
    lr = 0.05
    for i in range(n_steps):
        x, y = binary_addition(32, 8, rng)
        h, c1 = rnn_forward(x, np.zeros((16, 32)), params)
        z, c2 = output_forward(h, params)
        loss, dz = softmax_cross_entropy(z, y)
        grads = output_backward(dz, c2)
        grads.update(rnn_backward(grads["dh"], c1))
        for name, p in params.items():
            p = p - lr * grads["d" + name]
    return params
'''),
    Entry(function="train_binary_addition", name="train_onehot_scrambled",
          bug="dz is computed by hand with np.eye(2)[y].reshape(z.shape): the one-hot is scrambled, targets misaligned",
          names=r"one-?hot|loss gradient|gradient of the loss|dz (is |was )?wrong|softmax_cross_entropy|scrambl"
                r"|targets? (do not|don't|does not) (line up|match)|misalign",
          source='''
def train_binary_addition(n_steps, seed):
    rng = np.random.default_rng(seed)
    n_h, m, n_bits = 16, 32, 8
    params = init_params(2, n_h, 2, rng)
    opt = Adam(params, lr=0.05)
    for _ in range(n_steps):
        x, y = binary_addition(m, n_bits, rng)
        h, rcache = rnn_forward(x, np.zeros((n_h, m)), params)
        z, ocache = output_forward(h, params)
        onehot = np.eye(2)[y].reshape(z.shape)
        dz = (softmax(z) - onehot) / y.size        # mean over the m * n_bits positions
        grads = output_backward(dz, ocache)
        grads.update(rnn_backward(grads["dh"], rcache))
        opt.step(params, grads)
    return params
'''),
    Entry(function="train_binary_addition", name="train_one_batch_reused",
          bug="one batch of additions is drawn before the loop and reused at every step instead of a fresh one",
          names=r"fresh batch|new batch|same batch|one batch|single batch|each batch|overfit|memori[sz]|reus",
          source='''
def train_binary_addition(n_steps, seed):
    rng = np.random.default_rng(seed)
    n_h, m = 16, 32
    params = init_params(2, n_h, 2, rng)
    adam = Adam(params, 0.05)
    x, y = binary_addition(m, 8, rng)
    for step in range(n_steps):
        h, rnn_cache = rnn_forward(x, np.zeros((n_h, m)), params)
        z, out_cache = output_forward(h, params)
        _, dz = softmax_cross_entropy(z, y)
        grads = output_backward(dz, out_cache)
        grads.update(rnn_backward(grads["dh"], rnn_cache))
        adam.step(params, grads)
    return params
'''),
    Entry(function="train_binary_addition", name="train_grads_accumulated_one_batch",
          bug="two bugs: the gradients are added into totals that are never reset, and one batch is reused every step",
          names=r"reset|accumulat|zero(ed)? (the )?grad|between steps|sum of all|running total"
                r"|fresh batch|new batch|same batch|one batch|single batch|each batch|overfit|memori[sz]|reus",
          source='''
def train_binary_addition(n_steps, seed):
    rng = np.random.default_rng(seed)
    n_h, m = 16, 32
    params = init_params(2, n_h, 2, rng)
    adam = Adam(params, lr=0.05)
    x, y = binary_addition(m, 8, rng)
    grads = {"d" + k: np.zeros_like(v) for k, v in params.items()}
    for _ in range(n_steps):
        h, rc = rnn_forward(x, np.zeros((n_h, m)), params)
        z, oc = output_forward(h, params)
        _, dz = softmax_cross_entropy(z, y)
        g = output_backward(dz, oc)
        g.update(rnn_backward(g["dh"], rc))
        for k in grads:
            grads[k] += g[k]
        adam.step(params, grads)
    return params
'''),
    Entry(function="train_binary_addition", name="train_sgd_large_lr_no_clipping",
          bug="plain SGD at learning rate 5.0 and no gradient clipping: a gradient spike blows up the weights",
          names=r"diverg|clip|explod|saturat|blow|too (large|big|high)|learning rate|huge|large (weights|parameters)"
                r"|loss (went|goes|go) up|increas",
          source='''
def train_binary_addition(n_steps, seed):
    rng = np.random.default_rng(seed)
    n_h, m, n_bits = 16, 32, 8
    params = init_params(2, n_h, 2, rng)
    lr = 5.0        # 0.05 was far too slow with plain gradient descent
    for step in range(n_steps):
        x, y = binary_addition(m, n_bits, rng)
        h, rnn_cache = rnn_forward(x, np.zeros((n_h, m)), params)
        z, out_cache = output_forward(h, params)
        loss, dz = softmax_cross_entropy(z, y)
        grads = output_backward(dz, out_cache)
        grads.update(rnn_backward(grads["dh"], rnn_cache))
        for name in params:
            params[name] -= lr * grads["d" + name]
    return params
'''),
]
