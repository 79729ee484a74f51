# The oneDNN training step as a Node-API addon, built by node-gyp (`npm run build:native`).
# oneDNN is found by find-onednn.cjs (pkg-config, Debian, Homebrew, vcpkg or ONEDNN_ROOT).
# Built and tested on Linux x64 (Debian 12, g++ 12, libdnnl-dev 2.7); the macOS and Windows
# branches follow those platforms' oneDNN packages and have not been built here.
{
  "targets": [
    {
      "target_name": "onednn_step",
      "sources": ["step-engine.cc", "addon.cc"],
      "include_dirs": ["<!(node find-onednn.cjs include)"],
      "libraries": ["-L<!(node find-onednn.cjs lib)", "-ldnnl"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      # -ffp-contract=off: the optimizer's products and sums are rounded one by one, as tfjs rounds them.
      "cflags_cc": ["-O3", "-std=c++17", "-fopenmp", "-ffp-contract=off", "-fvisibility=hidden"],
      "ldflags": ["-fopenmp", "-Wl,-rpath,<!(node find-onednn.cjs lib)"],
      "conditions": [
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "OTHER_CPLUSPLUSFLAGS": ["-O3", "-ffp-contract=off", "-Xpreprocessor", "-fopenmp"],
            "OTHER_LDFLAGS": ["-lomp", "-Wl,-rpath,<!(node find-onednn.cjs lib)"]
          }
        }],
        ["OS=='win'", {
          "libraries!": ["-ldnnl"],
          "libraries": ["<!(node find-onednn.cjs lib)/dnnl.lib"],
          "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1, "OpenMP": "true", "AdditionalOptions": ["/std:c++17", "/fp:strict"] } }
        }]
      ]
    }
  ]
}
