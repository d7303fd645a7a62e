// Parsers on output recorded from the lab (gluster 10.3, lvm2 2.03.16, util-linux 2.38).
import * as fs from "node:fs";
import * as path from "node:path";
import {
  GlusterCliError,
  isMissingVolume,
  parseCliXml,
  parseFindmnt,
  parseFstab,
  parseInventory,
  parseLvs,
  parseMarkers,
  parsePeers,
  parsePvs,
  parseRebalanceStatus,
  parseVgs,
  parseVolumeInfo,
  parseVolumeStatus,
  locateBricks,
} from "../../provider/node";
import { ParseError } from "../../provider/core/errors";

const FIX = path.resolve(__dirname, "../fixtures/node");
const g = (f: string) => fs.readFileSync(path.join(FIX, "gluster-10.3", f), "utf8");
const lvmText = fs.readFileSync(path.join(FIX, "lvm-2.03.16/vgs-lvs-pvs.txt"), "utf8");

describe("gluster --xml", () => {
  test("envelope: opRet/opErrno/opErrstr are read even when the CLI exits 0", () => {
    expect(parseCliXml(g("volume-create-error.xml"))).toMatchObject({ opRet: -1, opErrno: 30800 });
    expect(parseCliXml(g("volume-create-error.xml")).opErrstr).toMatch(
      /Multiple bricks of a replicate volume/,
    );
    expect(parseCliXml(g("probe-again.xml"))).toMatchObject({
      opRet: 0,
      opErrno: 2,
      output: "Host gluster-3 port 24007 already in peer list",
    });
    expect(isMissingVolume(parseCliXml(g("volume-delete-again.xml")))).toBe(true);
    expect(() => parseCliXml("not xml at all")).toThrow(ParseError);
    expect(() => parseCliXml("<?xml version='1.0'?><other/>")).toThrow(ParseError);
  });

  test("peer status and pool list", () => {
    expect(parsePeers(g("peer-status-empty.xml"))).toEqual([]);
    const peers = parsePeers(g("peer-status-2.xml"));
    expect(peers).toHaveLength(2);
    expect(peers[0]).toEqual({
      uuid: "b866a53a-3ff0-4023-b625-c04010e45664",
      hostname: "gluster-2",
      hostnames: ["gluster-2"],
      connected: true,
      state: 3,
      stateStr: "Peer in Cluster",
      self: false,
    });
    const pool = parsePeers(g("pool-list-3.xml"));
    expect(pool.map((p) => [p.hostname, p.self])).toEqual([
      ["gluster-2", false],
      ["gluster-3", false],
      ["localhost", true],
    ]);
    expect(parsePeers(g("pool-list-empty.xml"))).toHaveLength(1);
  });

  test("volume info: bricks in order, options, counts", () => {
    const [v] = parseVolumeInfo(g("volume-info-created.xml"));
    expect(v).toMatchObject({
      name: "fx",
      id: "d9d8cff0-3e5f-4f2c-9b47-630270d3a62b",
      status: "Created",
      type: "Replicate",
      brickCount: 3,
      replicaCount: 3,
      arbiterCount: 0,
      disperseCount: 0,
    });
    expect(v?.bricks.map((b) => b.spec)).toEqual(
      [1, 2, 3].map((i) => `gluster-${i}:/var/lib/glusterfs-bricks/fx/s0b0/brick`),
    );
    expect(v?.bricks[1]).toMatchObject({
      host: "gluster-2",
      path: "/var/lib/glusterfs-bricks/fx/s0b0/brick",
      isArbiter: false,
    });
    expect(v?.options["user.glusterfs-provider.managed"]).toBe("lab");
    expect(parseVolumeInfo(g("volume-info-started.xml"))[0]?.status).toBe("Started");
    expect(parseVolumeInfo(g("volume-info-missing.xml"))).toEqual([]);
    expect(parseVolumeInfo(g("volume-info-none.xml"))).toEqual([]);
  });

  test("volume status: bricks, daemons, stopped volumes", () => {
    const s = parseVolumeStatus(g("volume-status-started.xml"));
    if (!s.started) throw new Error("expected started");
    expect(s.status.bricks).toHaveLength(3);
    expect(s.status.bricks[0]).toMatchObject({ host: "gluster-1", online: true, port: 52772, pid: 803 });
    expect(s.status.daemons.map((d) => d.name)).toEqual([
      "Self-heal Daemon",
      "Self-heal Daemon",
      "Self-heal Daemon",
    ]);
    const d = parseVolumeStatus(g("volume-status-detail.xml"));
    if (!d.started) throw new Error("expected started");
    expect(d.status.bricks[2]).toMatchObject({
      sizeTotal: 1006632960,
      device: "/dev/mapper/gfs_lab_vdb-brick_fx_s0b0",
    });
    expect(parseVolumeStatus(g("volume-status-stopped.xml"))).toEqual({
      started: false,
      reason: "Volume fx is not started",
    });
  });

  test("rebalance status of a 2x3 volume", () => {
    const r = parseRebalanceStatus(g("rebalance-status-completed.xml"));
    expect(r.status).toBe("completed");
    expect(r.nodes.map((n) => n.status)).toEqual(["completed", "completed", "completed"]);
    expect(r.failures).toBe(0);
  });

  test("volume info of a 2x3 volume keeps the planned brick order", () => {
    const [v] = parseVolumeInfo(g("volume-info-2x3.xml"));
    expect(v).toMatchObject({ type: "Distributed-Replicate", brickCount: 6, distCount: 2, replicaCount: 3 });
    expect(v?.bricks.map((b) => b.spec)).toEqual(
      [0, 1].flatMap((s) =>
        [0, 1, 2].map((i) => `gluster-${i + 1}:/var/lib/glusterfs-bricks/smoke/s${s}b${i}/brick`),
      ),
    );
    expect(v?.options["user.glusterfs-provider.rebalanced"]).toBe("6");
  });

  test("rebalance: a single-subvolume answer is an error with gluster's words", () => {
    expect(() => parseRebalanceStatus(g("rebalance-status-none.xml"))).toThrow(GlusterCliError);
    expect(() => parseRebalanceStatus(g("rebalance-status-none.xml"))).toThrow(/not a distribute volume/);
  });
});

describe("lvm json", () => {
  test("vgs with tags, sizes and extents", () => {
    expect(parseVgs(lvmText)).toEqual([
      {
        name: "gfs_lab_vdb",
        uuid: "dnkE5F-wUPK-EUNR-pcmb-ztvs-9bAq-swbMO9",
        sizeBytes: 21336424448,
        freeBytes: 20245905408,
        extentBytes: 4194304,
        extentCount: 5087,
        freeExtents: 4827,
        tags: { "glusterfs.cluster": "lab", "glusterfs.device": "/dev/vdb" },
        pvCount: 1,
        lvCount: 2,
      },
    ]);
  });

  test("lvs: thin pool, thin LV, internal LVs", () => {
    const lvs = parseLvs(lvmText);
    expect(lvs.map((l) => [l.name, l.kind])).toEqual([
      ["brick_fx_s0b0", "thin"],
      ["[lvol0_pmspare]", "internal"],
      ["tp_fx_s0b0", "thin-pool"],
      ["[tp_fx_s0b0_tdata]", "internal"],
      ["[tp_fx_s0b0_tmeta]", "internal"],
    ]);
    expect(lvs[2]).toMatchObject({
      thinCount: 1,
      tags: { "glusterfs.volume": "fx", "glusterfs.brick": "s0b0" },
      dataPercent: 6.49,
    });
    expect(lvs[0]).toMatchObject({
      pool: "tp_fx_s0b0",
      sizeBytes: 1073741824,
      dmPath: "/dev/mapper/gfs_lab_vdb-brick_fx_s0b0",
    });
  });

  test("pvs", () => {
    expect(parsePvs(lvmText)).toEqual([
      {
        name: "/dev/vdb",
        vg: "gfs_lab_vdb",
        sizeBytes: 21336424448,
        freeBytes: 20245905408,
        uuid: "xjQByJ-jOwO-qL40-5gt8-Og2s-OWNr-GxseQR",
        deviceBytes: 21474836480,
      },
    ]);
  });

  test("malformed reports are parse errors", () => {
    expect(() => parseVgs('{"report":[{"vg":[{"vg_size":"1B"}]}]}')).toThrow(ParseError);
    expect(() => parseVgs("{ nope")).toThrow(ParseError);
  });
});

describe("mounts and fstab", () => {
  test("findmnt -J", () => {
    const misc = fs.readFileSync(path.join(FIX, "findmnt-xfs.json"), "utf8");
    expect(parseFindmnt(misc)).toEqual([
      {
        target: "/var/lib/glusterfs-bricks/fx/s0b0",
        source: "/dev/mapper/gfs_lab_vdb-brick_fx_s0b0",
        fstype: "xfs",
        options: "rw,noatime,nouuid,attr2,inode64,logbufs=8,logbsize=256k,sunit=512,swidth=512,noquota",
      },
    ]);
    expect(parseFindmnt("")).toEqual([]);
  });

  test("fstab", () => {
    expect(parseFstab("# c\n/dev/vda / ext4 defaults,noatime 0 1\n\n/dev/x /a\\040b xfs rw 1 2\n")).toEqual([
      {
        spec: "/dev/vda",
        file: "/",
        vfstype: "ext4",
        options: "defaults,noatime",
        freq: "0",
        passno: "1",
        line: 2,
      },
      { spec: "/dev/x", file: "/a b", vfstype: "xfs", options: "rw", freq: "1", passno: "2", line: 4 },
    ]);
  });
});

describe("markers", () => {
  test("changes, refusals, values and sections", () => {
    const o = parseMarkers(
      "x\n@@change lvcreate a\n@@value size 10\n@@begin s\nline1\nline2\n\n@@end s 3\n@@refuse no\ny",
    );
    expect(o.changes).toEqual(["lvcreate a"]);
    expect(o.refusals).toEqual(["no"]);
    expect(o.values.get("size")).toBe("10");
    expect(o.sections.get("s")).toEqual({ text: "line1\nline2", rc: 3 });
    expect(o.rest).toBe("x\ny");
  });
});

describe("inventory", () => {
  const stdout = fs.readFileSync(path.join(FIX, "inventory-gluster-1.txt"), "utf8");
  test("one round trip's output becomes VGs, LVs, mounts, peers, volumes and bricks", () => {
    const inv = parseInventory("10.77.0.11", stdout);
    expect(inv.hostname).toBe("gluster-1");
    expect(inv.glusterdActive).toBe(true);
    expect(inv.glusterUuid).toBe("4916a697-c1d4-4945-8ca6-954c800a3f67");
    expect(inv.problems).toEqual([]);
    expect(inv.vgs.map((v) => [v.name, v.tags["glusterfs.cluster"]])).toEqual([["gfs_lab_vdb", "lab"]]);
    expect(inv.peers?.map((p) => p.hostname).sort()).toEqual(["gluster-2", "gluster-3", "localhost"]);
    expect(inv.volumes?.map((v) => [v.name, v.brickCount])).toEqual([["smoke", 6]]);
    expect(
      inv.bricks.map((b) => [b.lv, b.origin, b.volume, b.brickId, b.role, b.tagged, b.mount, b.fstab]),
    ).toEqual(
      [0, 1].map((s) => [
        `brick_smoke_s${s}b0`,
        "ours",
        "smoke",
        `s${s}b0`,
        "data",
        true,
        `/var/lib/glusterfs-bricks/smoke/s${s}b0`,
        [`/var/lib/glusterfs-bricks/smoke/s${s}b0`],
      ]),
    );
    const vol = inv.volumes?.[0];
    if (!vol) throw new Error("no volume");
    const loc = locateBricks(vol, [{ names: ["gluster-1", "10.77.0.11"], inventory: inv }]);
    expect(loc.map((l) => l.brick?.lv)).toEqual([
      "brick_smoke_s0b0",
      undefined,
      undefined,
      "brick_smoke_s1b0",
      undefined,
      undefined,
    ]);
    expect(loc[1]?.node).toBeUndefined();
  });

  test("Heketi's bricks are recognised by their names", () => {
    const id = "0123456789abcdef0123456789abcdef";
    const b = "fedcba9876543210fedcba9876543210";
    const lvs = JSON.stringify({
      report: [
        {
          lv: [
            {
              lv_name: `brick_${b}`,
              vg_name: `vg_${id}`,
              lv_size: "2147483648",
              lv_attr: "Vwi-aotz--",
              pool_lv: `tp_${b}`,
              lv_dm_path: `/dev/mapper/vg_${id}-brick_${b}`,
            },
            {
              lv_name: `tp_${b}`,
              vg_name: `vg_${id}`,
              lv_size: "2147483648",
              lv_attr: "twi-aotz--",
              thin_count: "1",
            },
          ],
        },
      ],
    });
    const mnt = `/var/lib/heketi/mounts/vg_${id}/brick_${b}`;
    const text = [
      "@@begin hostname\nold-node\n@@end hostname 0",
      "@@begin glusterd\ninactive\n@@end glusterd 3",
      `@@begin vgs\n{"report":[{"vg":[]}]}\n@@end vgs 0`,
      `@@begin lvs\n${lvs}\n@@end lvs 0`,
      `@@begin pvs\n{"report":[{"pv":[]}]}\n@@end pvs 0`,
      `@@begin mounts\n{"filesystems":[{"target":"${mnt}","source":"/dev/mapper/vg_${id}-brick_${b}","fstype":"xfs","options":"rw"}]}\n@@end mounts 0`,
      `@@begin fstab\n/dev/mapper/vg_${id}-brick_${b} ${mnt} xfs rw,inode64,noatime,nouuid 1 2\n@@end fstab 0`,
    ].join("\n");
    const inv = parseInventory("old", text);
    expect(inv.glusterdActive).toBe(false);
    expect(inv.peers).toBeUndefined();
    expect(inv.bricks).toEqual([
      expect.objectContaining({
        origin: "heketi",
        lv: `brick_${b}`,
        mount: mnt,
        fstab: [mnt],
        volume: undefined,
      }),
    ]);
  });
});
