;; _start that is not a function at all.
(module (memory (export "_start") 1))
