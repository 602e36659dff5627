"""Realistic wrong implementations of assignment 3's graded functions (see corpus/__init__.py)."""
from . import Entry

# Regular expressions shared by several entries: the concept a message has to mention.
_OVERFLOW = r"overflow|subtract\w* .*max|max\w* .*(first|before)|shift|inf\b|nan\b|not finite|stab"
_SOFTMAX_AXIS = r"axis|each column|per column|over the classes|class axis|sum\w* to 1|normali[sz]"
_TANH = (r"sigmoid|logistic|relu|activation|nonlinear|non-linear|squash|instead of tanh|not tanh|uses tanh|"
         r"apply tanh|tanh (is )?missing|no tanh|without tanh")
_CARRY = r"not carried|carr(y|ied)|from step to step|every step .*h0|previous step|the previous state"
_EVERY_STEP = (r"last (time )?step|last state|only one step|every (time )?step|each (time )?step|"
               r"all (the )?(time )?steps")
_SQUEEZE = (r"squeez|batch of one|single example|singleton|size.?1 ax|ax\w* of (size|length) 1|dropp\w* .*ax|"
            r"lost an axis")

ENTRIES = [
    # ------------------------------------------------------------------ softmax
    Entry(function="softmax", name="sm_no_max",
          bug="the max is never subtracted: exp overflows for logits near 1000 (inf / inf = nan)",
          names=_OVERFLOW,
          source='''
def softmax(z):
    exps = np.exp(z)
    return exps / np.sum(exps, axis=0, keepdims=True)
'''),
    Entry(function="softmax", name="sm_rows",
          bug="max and sum taken over axis 1 (each row, i.e. across examples) instead of axis 0",
          names=_SOFTMAX_AXIS,
          source='''
def softmax(z):
    # subtract the max for stability, then normalise
    shifted = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)
'''),
    Entry(function="softmax", name="sm_whole_array",
          bug="normalised by the sum over the whole array instead of each column",
          names=r"whole array|all (the )?entries|every entry|entire|global|" + _SOFTMAX_AXIS,
          source='''
def softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()
'''),
    Entry(function="softmax", name="sm_max_as_column",
          bug="the column maxima are reshaped into a column vector (m, 1), which broadcasts against the wrong axis",
          names=r"keepdims|column vector|reshape|\(m, ?1\)|max\w* .*shape|shape of the max|max\w* .*broadcast|"
                r"broadcast\w* .*max",
          source='''
def softmax(z):
    col_max = np.max(z, axis=0).reshape(-1, 1)
    e = np.exp(z - col_max)
    return e / np.sum(e, axis=0, keepdims=True)
'''),
    Entry(function="softmax", name="sm_max_last_axis",
          bug="the max is taken over the last axis (PyTorch's dim=-1 habit), so each class gets its own shift",
          names=r"max\w* .*axis|axis .*max|shift|per.?column max|each column's max|column max|constant",
          source='''
def softmax(z):
    z_max = z.max(axis=-1, keepdims=True)
    e = np.exp(z - z_max)
    return e / e.sum(axis=0, keepdims=True)
'''),
    Entry(function="softmax", name="sm_sum_last_axis",
          bug="the max is over axis 0 but the normalising sum is over the last axis",
          names=_SOFTMAX_AXIS + r"|denominator",
          source='''
def softmax(z):
    e = np.exp(z - np.amax(z, axis=0, keepdims=True))
    total = np.sum(e, axis=-1, keepdims=True)
    return e / total
'''),
    Entry(function="softmax", name="sm_transpose_2d",
          bug="written row-wise on z.T: right for (n_y, m), but .T reverses all three axes of (n_y, m, T)",
          names=r"3.?d|three(-| )?ax|three dim|\(n_y, m, T\)|more than two|n.?dim|higher.dim|transpos|\.T\b",
          source='''
def softmax(z):
    zt = z.T                                    # one row per example
    zt = zt - zt.max(axis=1, keepdims=True)
    p = np.exp(zt)
    p = p / p.sum(axis=1, keepdims=True)
    return p.T
'''),
    Entry(function="softmax", name="sm_loop_columns",
          bug="loops over z.shape[1] and uses scalar max/sum of the slice, which spans all T steps for 3-D input",
          names=r"3.?d|three(-| )?ax|three dim|\(n_y, m, T\)|more than two|n.?dim|higher.dim|time step|"
                r"each step|every step|" + _SOFTMAX_AXIS,
          source='''
def softmax(z):
    out = np.zeros_like(z)
    for j in range(z.shape[1]):
        col = z[:, j]
        ex = np.exp(col - col.max())
        out[:, j] = ex / ex.sum()
    return out
'''),
    Entry(function="softmax", name="sm_divide_by_max",
          bug="exp normalised by the column max of exp instead of the column sum",
          names=r"sum\w* to (1|one)|normali[sz]|divid|denominator|sum of|by the max",
          source='''
def softmax(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.max(axis=0, keepdims=True)
'''),
    Entry(function="softmax", name="sm_log_softmax",
          bug="returns the log-softmax (z - max - log sum exp) instead of the probabilities",
          names=r"\blog\b|log.?softmax|log.?prob|negative|sum\w* to (1|one)",
          source='''
def softmax(z):
    # log-sum-exp trick, stable for big logits
    m = np.max(z, axis=0, keepdims=True)
    lse = m + np.log(np.sum(np.exp(z - m), axis=0, keepdims=True))
    return z - lse
'''),
    Entry(function="softmax", name="sm_numerator_unshifted",
          bug="the max is subtracted in the denominator only; the numerator still overflows (and the ratio is off)",
          names=r"numerator|" + _OVERFLOW,
          source='''
def softmax(z):
    shifted = z - np.max(z, axis=0, keepdims=True)
    denominator = np.sum(np.exp(shifted), axis=0, keepdims=True)
    return np.exp(z) / denominator
'''),
    Entry(function="softmax", name="sm_no_max_and_rows",
          bug="TWO bugs: no max subtracted (overflow) and the sum is over axis 1 instead of axis 0",
          names=_OVERFLOW + "|" + _SOFTMAX_AXIS,
          source='''
def softmax(z):
    exp_z = np.exp(z)
    return exp_z / exp_z.sum(axis=1, keepdims=True)
'''),
    Entry(function="softmax", name="sm_no_max_whole_sum",
          bug="TWO bugs: no max subtracted (overflow near 1000) and the sum is over the whole array",
          names=_OVERFLOW + r"|whole array|all (the )?entries|every entry|entire|global|" + _SOFTMAX_AXIS,
          source='''
def softmax(z):
    """exp, then divide by the total."""
    exp_values = np.exp(z)
    total = np.sum(exp_values)
    return exp_values / total
'''),
    Entry(function="softmax", name="sm_inplace_divide_by_sum_all",
          bug="TWO bugs: z is modified in place (the caller's logits change) and the sum is over the whole array",
          names=r"in.?place|modif|overwr|mutat|chang\w* .*(input|argument|logits)|whole array|all (the )?entries|"
                + _SOFTMAX_AXIS,
          source='''
def softmax(z):
    z -= z.max(axis=0, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum()
    return z
'''),

    # ------------------------------------------------------------------ rnn_cell_forward
    Entry(function="rnn_cell_forward", name="cell_no_recurrence",
          bug="W h_prev is left out of the pre-activation",
          names=r"(W ?@? ?h_prev|W h\b|recurren\w*( term)?)\W+(is |was )?(missing|left out|absent|ignored|dropped)|"
                r"missing\W+(the )?(W\b|recurren)|previous state|h_prev (is |was )?(ignored|unused|missing|not used)|"
                r"no recurren|without (the )?(W\b|recurren)",
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    U, W, b = params["U"], params["W"], params["b"]
    h_next = np.tanh(U @ x_t + b)
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache
'''),
    Entry(function="rnn_cell_forward", name="cell_no_input",
          bug="U x_t is left out of the pre-activation",
          names=r"(U ?@? ?x_t?|input term|the input)\W+(is |was )?(missing|left out|absent|ignored|dropped)|"
                r"missing\W+(the )?(U\b|input)|x_t (is |was )?(ignored|unused|missing|not used)|ignor\w* (the )?input|"
                r"without (the )?(U\b|input)",
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    a = np.dot(params["W"], h_prev) + params["b"]
    h_next = np.tanh(a)
    return h_next, {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
'''),
    Entry(function="rnn_cell_forward", name="cell_W_transposed",
          bug="W.T h_prev instead of W h_prev (shapes still fit since W is square)",
          names=r"transpos|W\.T|W\^T|W ?ᵀ",
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    U = params["U"]
    W = params["W"]
    b = params["b"]
    pre = U @ x_t + W.T @ h_prev + b
    h_next = np.tanh(pre)
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache
'''),
    Entry(function="rnn_cell_forward", name="cell_U_transposed",
          bug="U.T x_t: fails unless n_x = n_h, and gives wrong values in the square case",
          names=r"transpos|U\.T|U\^T|U ?ᵀ|\(n_h, n_x\)",
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    U, W, b = params["U"], params["W"], params["b"]
    h_next = np.tanh(np.dot(U.T, x_t) + np.dot(W, h_prev) + b)
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache
'''),
    Entry(function="rnn_cell_forward", name="cell_U_W_swapped",
          bug="U and W swapped: W x_t + U h_prev",
          names=r"swap|U and W|W and U|exchang|interchang|W ?@? ?x_t|U ?@? ?h_prev",
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    W_x = params["W"]   # input weights
    W_h = params["U"]   # recurrent weights
    h_next = np.tanh(W_x @ x_t + W_h @ h_prev + params["b"])
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache
'''),
    Entry(function="rnn_cell_forward", name="cell_no_bias",
          bug="the bias b is never added",
          names=r"bias",
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    U, W = params["U"], params["W"]
    z = U @ x_t + W @ h_prev
    h_next = np.tanh(z)
    cache = dict(x_t=x_t, h_prev=h_prev, h_next=h_next, params=params)
    return h_next, cache
'''),
    Entry(function="rnn_cell_forward", name="cell_bias_transposed",
          bug="b.T (1, n_h) added instead of b (n_h, 1): broadcasts over the wrong axis",
          names=r"bias|\bb\.T|\(1, ?n_h\)",
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    U, W, b = params["U"], params["W"], params["b"]
    h_next = np.tanh(U @ x_t + W @ h_prev + b.T)
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache
'''),
    Entry(function="rnn_cell_forward", name="cell_sigmoid",
          bug="sigmoid instead of tanh",
          names=_TANH,
          source='''
def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def rnn_cell_forward(x_t, h_prev, params):
    U, W, b = params["U"], params["W"], params["b"]
    h_next = sigmoid(U @ x_t + W @ h_prev + b)
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache
'''),
    Entry(function="rnn_cell_forward", name="cell_no_tanh",
          bug="no nonlinearity: the pre-activation is returned as the state",
          names=r"linear|pre.?activation|" + _TANH,
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    U, W, b = params["U"], params["W"], params["b"]
    h_next = U.dot(x_t) + W.dot(h_prev) + b
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache
'''),
    Entry(function="rnn_cell_forward", name="cell_elementwise",
          bug="element-wise * instead of matrix products",
          names=r"element.?wise|matrix (product|multipl)|np\.dot|hadamard|\* instead|instead of @",
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    U, W, b = params["U"], params["W"], params["b"]
    h_next = np.tanh(U * x_t + W * h_prev + b)
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache
'''),
    Entry(function="rnn_cell_forward", name="cell_tuple_cache",
          bug="the cache is a tuple (h_next, h_prev, x_t, params), not a dict with the four keys",
          names=r"tuple|dict|key",
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    U, W, b = params["U"], params["W"], params["b"]
    h_next = np.tanh(U @ x_t + W @ h_prev + b)
    cache = (h_next, h_prev, x_t, params)
    return h_next, cache
'''),
    Entry(function="rnn_cell_forward", name="cell_x_t_reused",
          bug="the name x_t is reused for U x_t, so the cache's x_t holds U x_t instead of the input",
          names=r"cache\W*.{0,20}x_t|x_t.{0,30}cache|overwr\w* x_t|reus\w* .*x_t|x_t .*(reassign|overwr|reus)",
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    x_t = params["U"] @ x_t          # project the input
    h_rec = params["W"] @ h_prev
    h_next = np.tanh(x_t + h_rec + params["b"])
    return h_next, {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
'''),
    Entry(function="rnn_cell_forward", name="cell_no_bias_sigmoid",
          bug="TWO bugs: no bias, and sigmoid instead of tanh",
          names=r"bias|" + _TANH,
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    a = np.dot(params["U"], x_t) + np.dot(params["W"], h_prev)
    h_next = 1 / (1 + np.exp(-a))
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next, "params": params}
    return h_next, cache
'''),
    Entry(function="rnn_cell_forward", name="cell_W_T_missing_params",
          bug="TWO bugs: W.T h_prev instead of W h_prev, and the cache has no 'params' key",
          names=r"transpos|W\.T|W\^T|W ?ᵀ|key|missing.{0,20}params|params.{0,20}missing",
          source='''
def rnn_cell_forward(x_t, h_prev, params):
    U, W, b = params["U"], params["W"], params["b"]
    h_next = np.tanh(np.einsum("ij,jm->im", U, x_t) + np.einsum("ji,jm->im", W, h_prev) + b)
    cache = {"x_t": x_t, "h_prev": h_prev, "h_next": h_next}
    return h_next, cache
'''),

    # ------------------------------------------------------------------ rnn_forward
    Entry(function="rnn_forward", name="fwd_not_carried",
          bug="every step starts from h0: the state is not carried from step to step",
          names=_CARRY,
          source='''
def rnn_forward(x, h0, params):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T))
    for t in range(T):
        h[:, :, t], _ = rnn_cell_forward(x[:, :, t], h0, params)
    cache = {"x": x, "h0": h0, "h": h, "params": params}
    return h, cache
'''),
    Entry(function="rnn_forward", name="fwd_h0_ignored",
          bug="h0 is ignored: the recurrence starts from zeros",
          names=r"h0|h_0|initial (hidden )?state|first step|starting state|start\w* from",
          source='''
def rnn_forward(x, h0, params):
    n_x, m, T = x.shape
    n_h = params["W"].shape[0]
    h = np.zeros((n_h, m, T))
    h_t = np.zeros((n_h, m))      # the initial state is usually zeros
    for t in range(T):
        h_t, _ = rnn_cell_forward(x[:, :, t], h_t, params)
        h[:, :, t] = h_t
    return h, {"x": x, "h0": h0, "h": h, "params": params}
'''),
    Entry(function="rnn_forward", name="fwd_store_before_step",
          bug="the state is stored before the step, so h[:, :, t] holds the state before reading x[:, :, t]",
          names=r"off.by.one|shift\w* by one|one step (late|early|behind|ahead)|before (the step|reading)|"
                r"after (reading|the step|step)|h\[:, ?:, ?t\]|state after|previous step",
          source='''
def rnn_forward(x, h0, params):
    T = x.shape[2]
    h = np.zeros((h0.shape[0], x.shape[1], T))
    h_prev = h0
    for t in range(T):
        h[:, :, t] = h_prev
        h_prev, _ = rnn_cell_forward(x[:, :, t], h_prev, params)
    cache = {"x": x, "h0": h0, "h": h, "params": params}
    return h, cache
'''),
    Entry(function="rnn_forward", name="fwd_T_plus_1",
          bug="h is allocated with T + 1 slots, h0 stored in slot 0 and h[:, :, t+1] written: returns T + 1 states",
          names=r"T ?\+ ?1|includ\w* h0|h0 .*(stor|includ|slot)|extra|one (step|state) too many|"
                r"too many (steps|states)",
          source='''
def rnn_forward(x, h0, params):
    n_x, m, T = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T + 1))
    h[:, :, 0] = h0
    for t in range(T):
        h[:, :, t + 1], _ = rnn_cell_forward(x[:, :, t], h[:, :, t], params)
    cache = {"x": x, "h0": h0, "h": h, "params": params}
    return h, cache
'''),
    Entry(function="rnn_forward", name="fwd_first_slot_h0",
          bug="h[:, :, 0] = h0 and the loop starts at t = 1 with x[:, :, t]: x[:, :, 0] is never read, states shifted",
          names=r"off.by.one|shift\w* by one|one step (late|early|behind|ahead)|h0 .*(stor|slot|first)|"
                r"first (step|input|slot)|x\[:, ?:, ?0\]|skip|h\[:, ?:, ?t\]|state after",
          source='''
def rnn_forward(x, h0, params):
    n_h, m = h0.shape
    T = x.shape[-1]
    h = np.zeros((n_h, m, T))
    h[:, :, 0] = h0
    for t in range(1, T):
        h[:, :, t], _ = rnn_cell_forward(x[:, :, t], h[:, :, t - 1], params)
    return h, {"x": x, "h0": h0, "h": h, "params": params}
'''),
    Entry(function="rnn_forward", name="fwd_loop_wrong_axis",
          bug="x read as (n_x, T, m): the loop runs over axis 1 (examples) and slices x[:, t]",
          names=r"time axis|last axis|axis [12]|wrong axis|x\[:, ?:, ?t\]|over (the )?examples|\(n_x, m, T\)",
          source='''
def rnn_forward(x, h0, params):
    n_x, T, m = x.shape
    n_h = h0.shape[0]
    h = np.zeros((n_h, m, T))
    state = h0
    for t in range(T):
        state, _ = rnn_cell_forward(x[:, t], state, params)
        h[:, :, t] = state
    cache = {"x": x, "h0": h0, "h": h, "params": params}
    return h, cache
'''),
    Entry(function="rnn_forward", name="fwd_squeeze",
          bug="np.squeeze on each step's slice: breaks (drops an axis) when n_x = 1 or m = 1",
          names=_SQUEEZE,
          source='''
def rnn_forward(x, h0, params):
    n_x, m, T = x.shape
    h = np.zeros((h0.shape[0], m, T))
    h_t = h0
    for t in range(T):
        x_t = np.squeeze(x[:, :, t:t + 1])
        h_t, _ = rnn_cell_forward(x_t, h_t, params)
        h[:, :, t] = h_t
    cache = {"x": x, "h0": h0, "h": h, "params": params}
    return h, cache
'''),
    Entry(function="rnn_forward", name="fwd_overwrite_h0",
          bug="h_prev is an alias of h0 and is updated in place with h_prev[:] = ..., so the caller's h0 changes",
          names=r"in.?place|h0 .*(modif|overwr|chang)|modif|overwr|mutat|alias",
          source='''
def rnn_forward(x, h0, params):
    n_x, m, T = x.shape
    h = np.zeros((h0.shape[0], m, T))
    h_prev = h0
    for t in range(T):
        h_prev[:], _ = rnn_cell_forward(x[:, :, t], h_prev, params)
        h[:, :, t] = h_prev
    cache = {"x": x, "h0": h0, "h": h, "params": params}
    return h, cache
'''),
    Entry(function="rnn_forward", name="fwd_cache_last_state",
          bug="the cache's h holds the last state only, not all T states",
          names=r"cache\W*.{0,20}\bh\b|\bh\b.{0,30}cache|" + _EVERY_STEP,
          source='''
def rnn_forward(x, h0, params):
    T = x.shape[2]
    hs = np.zeros((h0.shape[0], h0.shape[1], T))
    h_t = h0
    for t in range(T):
        h_t, _ = rnn_cell_forward(x[..., t], h_t, params)
        hs[..., t] = h_t
    cache = {"x": x, "h0": h0, "h": h_t, "params": params}
    return hs, cache
'''),
    Entry(function="rnn_forward", name="fwd_cache_list",
          bug="the cache is (list of cell caches, x), not a dict with keys x, h0, h, params",
          names=r"tuple|dict|key|list",
          source='''
def rnn_forward(x, h0, params):
    n_x, m, T = x.shape
    h = np.zeros((h0.shape[0], m, T))
    caches = []
    h_next = h0
    for t in range(T):
        h_next, c = rnn_cell_forward(x[:, :, t], h_next, params)
        h[:, :, t] = h_next
        caches.append(c)
    return h, (caches, x)
'''),
    Entry(function="rnn_forward", name="fwd_stack_time_first",
          bug="states collected in a list and np.stack-ed: h comes out (T, n_h, m)",
          names=r"stack|time axis|time first|ax[ie]s order|order of (the )?axes|wrong axis|\(T, ?n_h, ?m\)|"
                r"moveaxis|transpos",
          source='''
def rnn_forward(x, h0, params):
    states = []
    h_t = h0
    for t in range(x.shape[2]):
        h_t, _ = rnn_cell_forward(x[:, :, t], h_t, params)
        states.append(h_t)
    h = np.stack(states)
    return h, {"x": x, "h0": h0, "h": h, "params": params}
'''),
    Entry(function="rnn_forward", name="fwd_zeros_like_x",
          bug="h allocated with np.zeros_like(x), i.e. (n_x, m, T) instead of (n_h, m, T)",
          names=r"zeros_like|n_x rows|n_h rows|\(n_x, m, T\)|number of (hidden )?units|hidden size|allocat",
          source='''
def rnn_forward(x, h0, params):
    h = np.zeros_like(x)
    h_curr = h0
    for t in range(x.shape[-1]):
        h_curr, _ = rnn_cell_forward(x[:, :, t], h_curr, params)
        h[:, :, t] = h_curr
    cache = {"x": x, "h0": h0, "h": h, "params": params}
    return h, cache
'''),
    Entry(function="rnn_forward", name="fwd_inline_no_carry_no_bias",
          bug="TWO bugs: the cell written inline with W @ h0 at every step (state never carried), and no bias b",
          names=_CARRY + r"|bias",
          source='''
def rnn_forward(x, h0, params):
    U, W = params["U"], params["W"]
    n_x, m, T = x.shape
    h = np.empty((W.shape[0], m, T))
    for t in range(T):
        h[:, :, t] = np.tanh(U @ x[:, :, t] + W @ h0)
    return h, {"x": x, "h0": h0, "h": h, "params": params}
'''),
    Entry(function="rnn_forward", name="fwd_h0_ignored_squeeze",
          bug="TWO bugs: the recurrence starts from zeros (h0 ignored), and each slice is squeezed",
          names=r"h0|h_0|initial (hidden )?state|first step|starting state|start\w* from|" + _SQUEEZE,
          source='''
def rnn_forward(x, h0, params):
    n_x, m, T = x.shape
    n_h = params["b"].shape[0]
    h = np.zeros((n_h, m, T))
    prev = np.zeros((n_h, m))
    for t in range(T):
        xt = x[:, :, t].squeeze()
        prev, _ = rnn_cell_forward(xt, prev, params)
        h[:, :, t] = prev
    return h, {"x": x, "h0": h0, "h": h, "params": params}
'''),

    # ------------------------------------------------------------------ output_forward
    Entry(function="output_forward", name="out_V_transposed",
          bug="V.T h instead of V h (fails unless n_y = n_h, wrong values in the square case)",
          names=r"transpos|V\.T|V\^T|V ?ᵀ|\(n_y, n_h\)",
          source='''
def output_forward(h, params):
    V, c = params["V"], params["by"]
    z = np.tensordot(V.T, h, axes=1) + c[:, :, None]
    return z, {"h": h, "params": params}
'''),
    Entry(function="output_forward", name="out_no_bias",
          bug="the bias c is never added",
          names=r"bias",
          source='''
def output_forward(h, params):
    z = np.einsum("yh,hmt->ymt", params["V"], h)
    cache = {"h": h, "params": params}
    return z, cache
'''),
    Entry(function="output_forward", name="out_bias_no_trailing_axis",
          bug="c (n_y, 1) added to (n_y, m, T) without a trailing axis: it broadcasts against (m, T)",
          names=r"bias|trailing|c\[|\bNone\b|newaxis|\(n_y, ?1\)|shape of (c|by)|(c|by) (has|of) shape",
          source='''
def output_forward(h, params):
    V = params["V"]
    c = params["by"]
    z = np.tensordot(V, h, axes=1) + c
    return z, {"h": h, "params": params}
'''),
    Entry(function="output_forward", name="out_bias_flat",
          bug="c flattened to (n_y,): it broadcasts along the time axis instead of the classes",
          names=r"bias|ravel|flatten|\(n_y,\)|shape of (c|by)|(c|by) (has|of) shape",
          source='''
def output_forward(h, params):
    V, c = params["V"], params["by"].flatten()
    z = np.einsum("ij,jkl->ikl", V, h) + c
    return z, {"h": h, "params": params}
'''),
    Entry(function="output_forward", name="out_softmax",
          bug="returns softmax(V h + c), the probabilities, instead of the logits",
          names=r"softmax|probabilit|logit",
          source='''
def output_forward(h, params):
    V, c = params["V"], params["by"]
    z = np.tensordot(V, h, axes=([1], [0])) + c[..., np.newaxis]
    y_hat = softmax(z)
    return y_hat, {"h": h, "params": params}
'''),
    Entry(function="output_forward", name="out_last_step",
          bug="only the last step's logits are computed: z is (n_y, m)",
          names=_EVERY_STEP + r"|\(n_y, m, T\)",
          source='''
def output_forward(h, params):
    h_last = h[:, :, -1]
    z = params["V"] @ h_last + params["by"]
    return z, {"h": h, "params": params}
'''),
    Entry(function="output_forward", name="out_loop_overwrites",
          bug="a loop over time that overwrites z at every step, so only the last step's logits are returned",
          names=_EVERY_STEP + r"|\(n_y, m, T\)|overwr",
          source='''
def output_forward(h, params):
    V, c = params["V"], params["by"]
    T = h.shape[2]
    for t in range(T):
        z = np.dot(V, h[:, :, t]) + c
    cache = {"h": h, "params": params}
    return z, cache
'''),
    Entry(function="output_forward", name="out_matmul_3d",
          bug="V @ h on the 3-D h: matmul treats h as a stack of (m, T) matrices",
          names=r"stack of|batch\w* (of )?matri|tensordot|einsum|last two axes|3.?d array|three.?dim",
          source='''
def output_forward(h, params):
    z = params["V"] @ h + params["by"][:, :, None]
    return z, {"h": h, "params": params}
'''),
    Entry(function="output_forward", name="out_axes_order",
          bug="tensordot(h, V) puts the classes last: z comes out (m, T, n_y)",
          names=r"ax[ie]s order|order of (the )?axes|wrong axis|moveaxis|transpos|\(m, ?T, ?n_y\)|"
                r"class(es)? (axis|last)",
          source='''
def output_forward(h, params):
    V, c = params["V"], params["by"]
    z = np.tensordot(h, V, axes=([0], [1])) + c.ravel()
    return z, {"h": h, "params": params}
'''),
    Entry(function="output_forward", name="out_loop_bias_per_example",
          bug="double loop over examples and steps adding c (n_y, 1) to a (n_y,) vector: (n_y, n_y) broadcast",
          names=r"bias|\(n_y, ?1\)|shape of (c|by)|(c|by) (has|of) shape",
          source='''
def output_forward(h, params):
    V, c = params["V"], params["by"]
    n_h, m, T = h.shape
    z = np.zeros((V.shape[0], m, T))
    for i in range(m):
        for t in range(T):
            z[:, i, t] = V.dot(h[:, i, t]) + c
    return z, {"h": h, "params": params}
'''),
    Entry(function="output_forward", name="out_params_mutated",
          bug="params['by'] is reshaped inside the caller's dict (in place), so params changes after the call",
          names=r"in.?place|modif|mutat|overwr|chang\w* .*(params|input|argument|dict)",
          source='''
def output_forward(h, params):
    params["by"] = params["by"].reshape(-1, 1, 1)    # so it broadcasts over (m, T)
    z = np.tensordot(params["V"], h, axes=1) + params["by"]
    return z, {"h": h, "params": params}
'''),
    Entry(function="output_forward", name="out_cache_keys",
          bug="the cache stores z and V under its own key names instead of 'h' and 'params'",
          names=r"key|missing.{0,30}(\bh\b|params)|unexpected",
          source='''
def output_forward(h, params):
    V, c = params["V"], params["by"]
    z = np.tensordot(V, h, axes=1) + c[:, :, None]
    cache = {"z": z, "V": V, "by": c}
    return z, cache
'''),
    Entry(function="output_forward", name="out_V_T_no_bias",
          bug="TWO bugs: V transposed (einsum subscripts 'hy') and no bias",
          names=r"transpos|V\.T|V\^T|V ?ᵀ|\(n_y, n_h\)|bias",
          source='''
def output_forward(h, params):
    z = np.einsum("hy,hmt->ymt", params["V"], h)
    return z, {"h": h, "params": params}
'''),
    Entry(function="output_forward", name="out_softmax_last_step",
          bug="TWO bugs: only the last step is computed, and softmax probabilities are returned",
          names=r"softmax|probabilit|logit|" + _EVERY_STEP + r"|\(n_y, m, T\)",
          source='''
def output_forward(h, params):
    logits = params["V"] @ h[:, :, -1] + params["by"]
    probs = np.exp(logits - logits.max(axis=0)) / np.exp(logits - logits.max(axis=0)).sum(axis=0)
    return probs, {"h": h, "params": params}
'''),
]
