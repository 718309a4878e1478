// NODE ONLY. `cnn1d train --help`.

export const TRAIN_HELP = `usage: cnn1d train --data SOURCE [--model NAME[:{args}] | --model PATH] [options]
       cnn1d train --config run.json [options that override it]

Every option is a field of the API under its name (fit's, or a factory's with its arguments as
JSON); NAME:{args} calls the factory, e.g. --augment 'timeShift:{"maxShift":800}' is
augment.timeShift({maxShift: 800}).

data
  --data SOURCE          builtin:cbf, builtin:sines, a UCR _TRAIN file (its _TEST sibling is the
                         test set) or a folder of .wav files (FSDD names: FSDD's split; otherwise
                         a stratified 80/20 split); audio and builtin sets are z-normalised
  --n N                  series per split of a builtin set (300)
  --length N             length of builtin series (128) and of .wav clips, cropped or padded (8000)
  --seed N               seed of the model (weights, shuffling, dropout, augmentation) and split (1)
model
  --model NAME[:{args}]  a models.* builder: fcn (default), kerasSeed, sampleCnn, resnet,
                         inceptionTime, tutorial18, with its arguments, e.g.
                         'sampleCnn:{"block":"rese","blockDropout":0}', 'resnet:{"filters":32}',
                         'inceptionTime:{"depth":3}', 'fcn:{"filters":[64,128,64]}'
  --model PATH           a saved model (folder or model.json) with inputs [length, 1] and one
                         output per class, trained further
training (model.compile and model.fit)
  --optimizer NAME[:{args}]  sgd, adam (default), adamw, rmsprop, adagrad, adamax, nadam,
                         e.g. 'sgd:{"learningRate":0.01,"momentum":0.9}'
  --lr X                 the optimizer's learningRate (0.001 for adam)
  --lr-schedule NAME:{args}  optimizers.schedules.*, stepped per batch: exponentialDecay,
                         piecewiseConstantDecay, cosineDecay, oneCycle
  --loss NAME            sparseCategoricalCrossentropy (default), categoricalCrossentropy (needed by
                         mixup), ...
  --epochs N             20
  --batch-size N         32
  --validation-split F   hold out the last fraction F of the training series (fit's validationSplit)
  --class-weight {"LABEL": W, ...} | balanced   weights by the data's labels; balanced:
                         n / (classes * n_label) on the training labels
  --augment NAME[:{args}]  repeatable, in order: jitter, scaling, magnitudeWarp, timeWarp,
                         timeShift, windowSlice, randomCrop, mixup, randomGain, addNoise, speedPerturb
  --callback NAME[:{args}] repeatable: earlyStopping, reduceLROnPlateau, exponentialDecay,
                         stepDecay, e.g. 'earlyStopping:{"monitor":"val_loss","patience":10}'
  --threads N            threads of the kernels (default: one per core; results are the same)
  --verbose 0|1|2        nothing, a progress bar (one line per epoch when not a terminal), a line per epoch
output
  --out DIR              save model.json, weights.bin, cnn1d-meta.json and run.json (the run, to
                         repeat it: cnn1d train --config DIR/run.json --out NEW_DIR)
  --overwrite            replace a model already in DIR
  --config FILE          a run.json: every field above under its API name (batchSize,
                         validationSplit, classWeight, learningRateSchedule, augment and callbacks
                         as lists of "NAME:{args}" or {"name", "args"}); the command line overrides it

The test split is evaluated once, after training; it never steers early stopping or schedules.
Ctrl-C removes an --out folder the run created.`;
