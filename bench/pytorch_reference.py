#!/usr/bin/python3
"""The peer to beat: the reference article's AlexNet in PyTorch, timed on this machine.

Setup (Debian's PyTorch 1.13; not a project dependency): apt-get install -y python3-torch libopenblas0-pthread
(without OpenBLAS Debian's torch runs its dense layers on the reference BLAS: a peer 5x too slow)
Run: /usr/bin/python3 bench/pytorch_reference.py (deeppose bench runs it beside the studio's backends)
Prints one JSON line: training images/s (batch 32, MomentumSGD lr 0.01 m 0.9, the
article's visibility-masked MSE) and inference ms/image (batch 1), using both cores.
"""
import json, resource, time
import torch, torch.nn as nn, torch.nn.functional as F

class AlexNet(nn.Module):
    def __init__(self, joints=14):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 96, 11, stride=4)
        self.conv2 = nn.Conv2d(96, 256, 5, padding=2)
        self.conv3 = nn.Conv2d(256, 384, 3, padding=1)
        self.conv4 = nn.Conv2d(384, 384, 3, padding=1)
        self.conv5 = nn.Conv2d(384, 256, 3, padding=1)
        self.fc6 = nn.Linear(256 * 6 * 6, 4096)
        self.fc7 = nn.Linear(4096, 4096)
        self.fc8 = nn.Linear(4096, joints * 2)
        self.joints = joints

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 3, stride=2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 3, stride=2)
        h = F.relu(self.conv4(F.relu(self.conv3(h))))
        h = F.max_pool2d(F.relu(self.conv5(h)), 3, stride=2).flatten(1)
        h = F.dropout(F.relu(self.fc6(h)), training=self.training)
        h = F.dropout(F.relu(self.fc7(h)), training=self.training)
        return self.fc8(h).view(-1, self.joints, 2)

def main():
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = AlexNet()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, target = torch.rand(32, 3, 227, 227), torch.rand(32, 14, 2)
    # The article's loss counts visible joints only: a mask as a labeled set has (about a fifth hidden).
    visible = (torch.rand(32, 14, 1) > 0.2).float()
    model.train()
    steps = []
    for _ in range(5):
        start = time.perf_counter()
        opt.zero_grad()
        diff = (model(x) - target) * visible
        ((diff * diff).sum() / visible.sum()).backward()
        opt.step()
        steps.append(time.perf_counter() - start)
    # Peak resident memory of training (ru_maxrss: kB on Linux), before inference adds to it.
    train_peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    model.eval()
    one, lat = torch.rand(1, 3, 227, 227), []
    with torch.no_grad():
        for _ in range(15):
            start = time.perf_counter()
            model(one)
            lat.append(time.perf_counter() - start)
    steps, lat = sorted(steps[1:]), sorted(lat[3:])
    print(json.dumps({'train_images_per_s': round(32 / steps[len(steps) // 2], 2),
                      'infer_ms_per_image': round(1000 * lat[len(lat) // 2], 2),
                      'train_peak_rss_mb': round(train_peak_rss_mb),
                      'blas': loaded_blas()}))

def loaded_blas():
    """The BLAS library this process really runs its fully connected layers on.

    Debian's torch calls whatever libblas.so.3 the alternatives system points at: the netlib
    reference BLAS (one thread, about 1.5 GFLOP/s) unless OpenBLAS is installed, which made
    the peer four to five times slower on the same machine. Read off the process's own maps.
    """
    with open('/proc/self/maps') as maps:
        paths = {line.split()[-1] for line in maps if 'blas' in line.lower() or 'mkl' in line.lower()}
    return sorted(p for p in paths if '/' in p)

if __name__ == '__main__':
    main()
